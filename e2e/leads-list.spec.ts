import { expect, expectAccessible, test } from "./fixtures";

test.describe("leads list", () => {
  test("search finds a seeded lead; the URL holds search, filter and sort", async ({ signedInPage: page }) => {
    await page.goto("/leads");
    await expect(page.getByTestId("lead-row").first()).toBeVisible();
    await expect(page.getByTestId("total-value")).toHaveText(/^\$[\d,]+\.\d\d$/);
    await expectAccessible(page);

    await page.getByLabel("Search").fill("grace.hopper@naval");
    // Debounced, then in the URL.
    await expect(page).toHaveURL(/[?&]search=grace\.hopper%40naval/);
    await expect(page.getByTestId("lead-row")).toHaveCount(1);
    const row = page.getByTestId("lead-row").first();
    await expect(row.getByRole("link", { name: "Grace Hopper" })).toBeVisible();
    await expect(row).toContainText("grace.hopper@navalsystems.example");
    await expect(page.getByTestId("leads-summary")).toContainText("1 lead match");

    // Phone search by digits.
    await page.getByLabel("Search").fill("415 555 0100");
    await expect(page).toHaveURL(/search=415\+555\+0100/);
    await expect(page.getByRole("link", { name: "Grace Hopper" })).toBeVisible();

    // Status filter and sort go in the URL; a shared link restores the view.
    await page.getByLabel("Search").fill("");
    await expect(page).not.toHaveURL(/search=/);
    await page.getByLabel("Status").selectOption("won");
    await expect(page).toHaveURL(/status=won/);
    await page.getByLabel("Sort by").selectOption("value:desc");
    await expect(page).toHaveURL(/sort=value%3Adesc/);
    const badges = page.getByTestId("lead-row").getByTestId("status-badge");
    await expect(badges.first()).toHaveText("Won");
    expect(new Set(await badges.allTextContents())).toEqual(new Set(["Won"]));

    await page.goBack();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(page.getByLabel("Sort by")).toHaveValue("createdAt:desc");

    await page.getByLabel("Search").fill("no-such-lead-zzzz");
    await expect(page.getByText("No leads match")).toBeVisible();
    await expectAccessible(page);
  });

  test("pages through the list", async ({ signedInPage: page }) => {
    await page.goto("/leads");
    await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();
    const firstOnPageOne = await page.getByTestId("lead-row").first().getByRole("link").textContent();
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(/Page 2 of \d+/)).toBeVisible();
    await expect(page.getByTestId("lead-row").first().getByRole("link")).not.toHaveText(firstOnPageOne ?? "");
    await page.goBack();
    await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();

    // A shared link to a page that no longer exists explains itself.
    await page.goto("/leads?page=9999");
    await expect(page.getByText("This page is empty")).toBeVisible();
    await page.getByRole("link", { name: "Go to the first page" }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByTestId("lead-row").first()).toBeVisible();
  });
});
