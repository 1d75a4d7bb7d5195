import { DEMO } from "@/lib/demo/seed-demo";
import { expect, expectAccessible, signIn, test } from "./fixtures";

/** The maximum number of leads one bulk PATCH may touch, next to "Allow bulk updates". */

test("an admin sets the maximum leads per bulk update; a bad value is refused next to the field", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/settings");
  const field = page.getByLabel("Maximum leads per bulk update");
  await expect(field).toHaveValue("10000");
  await expectAccessible(page);

  try {
    await field.fill("1");
    await page.getByRole("button", { name: "Save maximum" }).click();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Maximum leads per bulk update must be at least 2")).toBeVisible();

    await field.fill("2500");
    await page.getByRole("button", { name: "Save maximum" }).click();
    await expect(page.getByText("Bulk updates may now touch up to 2,500 leads")).toBeVisible();
    await expect(field).not.toHaveAttribute("aria-invalid", "true");
    const saved = await page.request.get("/api/settings/organization");
    expect(await saved.json()).toMatchObject({ data: { maxBulkMatches: 2500 } });

    await page.reload();
    await expect(page.getByLabel("Maximum leads per bulk update")).toHaveValue("2500");
  } finally {
    await page.request.patch("/api/settings/organization", { data: { maxBulkMatches: 10_000 } });
  }
});
