import { DEMO } from "@/lib/demo/seed-demo";
import { expect, expectAccessible, test } from "./fixtures";

test.describe("sign in", () => {
  test("pages need a session; a seeded salesperson signs in and out", async ({ page, salesUser }) => {
    await page.goto("/leads?status=won");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fleads%3Fstatus%3Dwon$/);
    await expect(page.getByRole("heading", { name: "Sign in to your account" })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("E-mail").fill(salesUser.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "The e-mail or password is incorrect." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);

    await page.getByLabel("Password").fill(salesUser.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back where the user was headed, with the filter kept.
    await expect(page).toHaveURL(/\/leads\?status=won$/);
    await expect(page.getByTestId("current-user")).toHaveText(DEMO.sales.name);
    await expect(page.getByRole("heading", { name: "Leads", level: 1 })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/leads/new");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fleads%2Fnew$/);
  });

  test("the session route of the list answers 401 without a session", async ({ request }) => {
    const response = await request.get("/api/app/leads");
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ success: false, error: { code: "UNAUTHORIZED" } });
  });
});

test("an unknown page shows the not-found page", async ({ signedInPage: page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to leads" })).toHaveAttribute("href", "/leads");
  await expectAccessible(page);
});
