import { DEMO } from "@/lib/demo/seed-demo";
import { createLeadViaApi, expect, expectAccessible, signIn, test } from "./fixtures";

test.describe("organization scoping", () => {
  test("a user of another organization cannot open or find the first organization's lead", async ({
    page,
    request,
    apiKey,
    otherOrganization,
  }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: "Acme Secret Deal", email: "secret@acme-customer.example", value: 99000 });

    await signIn(page, otherOrganization.user);
    await expect(page.getByTestId("current-user")).toHaveText(otherOrganization.user.name);
    await page.goto("/leads");
    await expect(page.getByText("No leads yet")).toBeVisible();

    const response = await page.goto(`/leads/${lead.id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Lead not found" })).toBeVisible();
    await expect(page.getByText("Acme Secret Deal")).toHaveCount(0);
    await expectAccessible(page);

    // Nor through the list's search, nor through its session route.
    await page.goto("/leads?search=Acme+Secret+Deal");
    await expect(page.getByText("No leads match")).toBeVisible();
    const list = await page.request.get("/api/app/leads?search=secret%40acme-customer");
    expect(list.status()).toBe(200);
    expect(((await list.json()) as { data: { leads: unknown[] } }).data.leads).toEqual([]);

    // The first organization's own salesperson does see it.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, DEMO.sales);
    await page.goto(`/leads/${lead.id}`);
    await expect(page.getByRole("heading", { name: "Acme Secret Deal", level: 1 })).toBeVisible();
  });
});
