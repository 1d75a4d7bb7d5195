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

  test("the first page comes rendered from the server: rows in the HTML, no skeleton", async ({ signedInPage: page }) => {
    const html = await (await page.request.get("/leads?sort=value:desc")).text();
    expect(html).toContain('data-testid="lead-row"');
    expect(html).not.toContain("Loading leads");
  });

  test("pages through the list with Next and Previous (cursors in the URL)", async ({ signedInPage: page }) => {
    await page.goto("/leads");
    await expect(page.getByTestId("page-position")).toHaveText(/^Page 1 of \d+$/);
    const rows = page.getByTestId("lead-row").getByRole("link");
    const pageOne = await rows.allTextContents();

    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/cursor=.+page=2/);
    await expect(page.getByTestId("page-position")).toHaveText(/^Page 2 of \d+$/);
    await expect(rows.first()).not.toHaveText(pageOne[0] ?? "");
    const pageTwo = await rows.allTextContents();
    const hrefs = () => rows.evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    const pageTwoLinks = await hrefs();
    await page.goBack();
    const pageOneLinks = await hrefs();
    await page.goForward();
    await expect(rows).toHaveText(pageTwo);
    expect(pageTwoLinks.filter((href) => pageOneLinks.includes(href))).toEqual([]);

    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=3/);
    await expect(rows.first()).not.toHaveText(pageTwo[0] ?? "");

    await page.getByRole("link", { name: "Previous" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(rows).toHaveText(pageTwo);
    await page.getByRole("link", { name: "Previous" }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(rows).toHaveText(pageOne);
    await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);

    // The back button retraces the pages; a reload of a cursor URL shows the same page.
    await page.goBack();
    await expect(page).toHaveURL(/page=2/);
    await expect(rows).toHaveText(pageTwo);
    await page.reload();
    await expect(rows).toHaveText(pageTwo);
    await expectAccessible(page);

    // Changing the sort starts again at its first page.
    await page.getByLabel("Sort by").selectOption("name:asc");
    await expect(page).toHaveURL(/sort=name%3Aasc$/);
    await expect(page.getByTestId("page-position")).toHaveText(/^Page 1 of/);

    // An old shared link to a page that no longer exists explains itself.
    await page.goto("/leads?page=50");
    await expect(page.getByText("This page is empty")).toBeVisible();
    await page.getByRole("link", { name: "Go to the first page" }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByTestId("lead-row").first()).toBeVisible();
  });
});
