import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed-demo";
import { createLeadViaApi, expect, expectAccessible, signIn, test } from "./fixtures";

/** The admin console: the bulk-update switch, API keys and users, and who may use them. */

const tag = () => randomBytes(4).toString("hex");

async function bulkSwitch(page: Page) {
  return page.getByRole("switch", { name: "Allow bulk updates" });
}

async function setBulkUpdates(page: Page, on: boolean) {
  const toggle = await bulkSwitch(page);
  if ((await toggle.getAttribute("aria-checked")) !== String(on)) {
    await toggle.click();
    await expect(page.getByText(on ? "Bulk updates are on" : "Bulk updates are off")).toBeVisible();
  }
  await expect(toggle).toHaveAttribute("aria-checked", String(on));
}

test.describe("admin console", () => {
  test("the bulk-update switch decides between 409 and updating every match", async ({ page, request, apiKey }) => {
    const email = `shared-${tag()}@bulk.example`;
    const first = await createLeadViaApi(request, apiKey, { name: "Bulk One", email });
    const second = await createLeadViaApi(request, apiKey, { name: "Bulk Two", email: email.toUpperCase() });
    const patch = () =>
      request.patch("/api/leads", { headers: { "X-API-KEY": apiKey.plaintext }, data: { email, status: "qualified", note: `Bulk note ${email}` } });

    await signIn(page, DEMO.admin);
    await page.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(page.getByText("When this is on, a PATCH /api/leads whose e-mail or phone matches several leads updates all of them")).toBeVisible();
    await expectAccessible(page);

    try {
      await setBulkUpdates(page, false);
      const refused = await patch();
      expect(refused.status()).toBe(409);
      expect(await refused.json()).toMatchObject({ error: { code: "CONFLICT", details: { matchCount: 2 } } });

      await setBulkUpdates(page, true);
      await expect(page.getByTestId("settings-last-change")).toContainText(`Last changed by ${DEMO.admin.name}`);
      const updated = await patch();
      expect(updated.status()).toBe(200);
      expect(await updated.json()).toMatchObject({ data: { leadsUpdated: 2, leadIds: [first.id, second.id] } });
    } finally {
      await page.goto("/settings");
      await setBulkUpdates(page, false);
    }

    for (const lead of [first, second]) {
      await page.goto(`/leads/${lead.id}`);
      const timeline = page.getByTestId("timeline");
      await expect(timeline.getByText(`Bulk note ${email}`)).toBeVisible();
      await expect(timeline.getByText(`API key ${apiKey.name}`).first()).toBeVisible();
    }
  });

  test("an admin creates a key, copies it, uses it, and revokes it", async ({ page, context, request }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const name = `Webform ${tag()}`;
    await signIn(page, DEMO.admin);
    await page.goto("/settings/api-keys");
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create key" }).click();

    const panel = page.getByTestId("new-api-key");
    await expect(panel.getByText("Copy it now: it will not be shown again.")).toBeVisible();
    const shown = await panel.getByLabel("New API key").inputValue();
    expect(shown).toMatch(/^ll_[A-Za-z0-9]{40}$/);
    await expectAccessible(page);
    await panel.getByRole("button", { name: "Copy key" }).click();
    await expect(page.getByText("Key copied to the clipboard")).toBeVisible();
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toBe(shown);

    const lead = await request.post("/api/leads", { headers: { "X-API-KEY": key }, data: { name: `Lead of ${name}` } });
    expect(lead.status()).toBe(201);
    const leadId = ((await lead.json()) as { data: { id: string } }).data.id;
    expect((await request.patch("/api/leads", { headers: { "X-API-KEY": key }, data: { id: leadId, status: "won" } })).status()).toBe(200);

    await panel.getByRole("button", { name: "Done" }).click();
    await expect(panel).toBeHidden();
    const row = page.getByTestId(`api-key-row-${name}`);
    await expect(row.getByText(`ll_…${key.slice(-4)}`)).toBeVisible();
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke API key “${name}”?` });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByText(`API key “${name}” revoked`)).toBeVisible();
    await expect(row.getByText("Revoked")).toBeVisible();

    const refused = await request.patch("/api/leads", { headers: { "X-API-KEY": key }, data: { id: leadId, status: "lost" } });
    expect(refused.status()).toBe(401);
  });

  test("a salesperson sees no Settings and gets 403 from every admin action", async ({ signedInPage: page }) => {
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);

    const response = await page.goto("/settings/api-keys");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    await expectAccessible(page);

    const calls: [string, string, unknown][] = [
      ["GET", "/api/settings/organization", undefined],
      ["PATCH", "/api/settings/organization", { allowBulkUpdates: true }],
      ["GET", "/api/settings/api-keys", undefined],
      ["POST", "/api/settings/api-keys", { name: "sneaky" }],
      ["POST", "/api/settings/api-keys/key_anything/revoke", undefined],
      ["GET", "/api/settings/users", undefined],
      ["POST", "/api/settings/users", { name: "Eve", email: `eve-${tag()}@acme.test`, password: "long enough", role: "admin" }],
      ["PATCH", "/api/settings/users/user_anything", { role: "admin" }],
    ];
    for (const [method, url, data] of calls) {
      const reply = await page.request.fetch(url, { method, data });
      expect(reply.status(), `${method} ${url}`).toBe(403);
      expect(await reply.json()).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
    }
  });

  test("a deactivated user is signed out and cannot sign in again", async ({ page, browser }) => {
    const user = { name: `Dee Activated ${tag()}`, email: `dee-${tag()}@acme.test`, password: "temporary-password" };
    await signIn(page, DEMO.admin);
    await page.goto("/settings/users");
    await expectAccessible(page);
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Name").fill(user.name);
    await form.getByLabel("E-mail").fill(user.email);
    await form.getByLabel("Role").selectOption("sales");
    await form.getByLabel("Initial password").fill(user.password);
    await form.getByRole("button", { name: "Add user" }).click();
    const row = page.getByTestId(`user-row-${user.email}`);
    await expect(row.getByText("Active")).toBeVisible();

    // The new user is signed in elsewhere.
    const theirs = await browser.newPage();
    await signIn(theirs, user);

    await row.getByRole("button", { name: `Deactivate ${user.name}` }).click();
    await page.getByRole("dialog", { name: `Deactivate ${user.name}?` }).getByRole("button", { name: "Deactivate" }).click();
    await expect(row.getByText("Deactivated")).toBeVisible();

    // Their open session stops working at once...
    await theirs.reload();
    await expect(theirs).toHaveURL(/\/sign-in/);
    // ...and signing in again is refused.
    await theirs.getByLabel("E-mail").fill(user.email);
    await theirs.getByLabel("Password").fill(user.password);
    await theirs.getByRole("button", { name: "Sign in" }).click();
    await expect(theirs.getByRole("alert").filter({ hasText: "The e-mail or password is incorrect." })).toBeVisible();
    await expect(theirs).toHaveURL(/\/sign-in/);
    await theirs.close();
  });

  test("the last admin cannot be demoted or deactivated, and the page says why", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/settings/users");
    const row = page.getByTestId(`user-row-${DEMO.admin.email}`);
    await expect(row.getByText("The last active admin cannot be demoted or deactivated: make another user an admin first.")).toBeVisible();
    await expect(row.getByRole("button", { name: `Deactivate ${DEMO.admin.name}` })).toBeDisabled();
    await expect(row.getByLabel(`Role of ${DEMO.admin.name}`)).toBeDisabled();
  });
});
