import { expect, test } from "./fixtures";

test.describe("API reference page", () => {
  test("renders the OpenAPI document offline, without sign-in, and links to the API-key settings", async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) elsewhere.push(url);
    });
    // Anything sent outside the app would fail here anyway (no internet): make it fail loudly.
    await page.route((url) => url.origin !== origin && url.protocol.startsWith("http"), (route) => route.abort());

    const response = await page.goto("/docs/api");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/docs\/api$/);

    // The document's own title, operations and schemas, rendered by the bundled Scalar.
    await expect(page.getByRole("heading", { name: "Leadline API", level: 1 })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("Update leads").first()).toBeVisible();
    await expect(page.getByText("Create a lead").first()).toBeVisible();
    await expect(page.getByText("Idempotency-Key").first()).toBeAttached();
    // Scalar's hosted "Ask AI" agent cannot work offline: hidden, while the sidebar stays.
    await expect(page.getByRole("button", { name: /Ask AI/ })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Sidebar for Leadline API" })).toBeVisible();

    const keys = page.getByRole("link", { name: "Your organization's API keys" });
    await expect(keys).toHaveAttribute("href", "/settings/api-keys");
    await page.screenshot({ path: "test-results/docs-api.png", fullPage: false });
    expect(elsewhere, "requests outside the app (CDN, fonts, telemetry)").toEqual([]);
  });

  test("the OpenAPI document is public JSON, briefly cacheable", async ({ request }) => {
    const response = await request.get("/api/openapi.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toMatch(/^public, max-age=\d+/);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/leads", "/api/leads/{id}"]));
  });
});
