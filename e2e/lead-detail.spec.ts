import { DEMO } from "@/lib/demo/seed-demo";
import { createLeadViaApi, expect, expectAccessible, patchLeadViaApi, test } from "./fixtures";

const unique = () => Math.random().toString(36).slice(2, 8);

test.describe("lead page", () => {
  test("sets a seeded lead to lost with a reason: toast, badge and timeline entry", async ({ signedInPage: page }) => {
    const reason = `Chose a competitor ${unique()}`;
    await page.getByLabel("Search").fill("Grace Hopper");
    await expect(page).toHaveURL(/search=Grace\+Hopper/);
    await expect(page.getByTestId("lead-row")).toHaveCount(1);
    await page.getByRole("link", { name: "Grace Hopper" }).click();
    await expect(page.getByRole("heading", { name: "Grace Hopper", level: 1 })).toBeVisible();
    await expectAccessible(page);

    // The loss reason field exists only for lost.
    await page.getByLabel("Status").selectOption("qualified");
    await expect(page.getByLabel("Loss reason")).toHaveCount(0);
    await page.getByLabel("Status").selectOption("lost");
    // Not one of the managed reasons: "Other" with free text.
    await page.getByLabel("Loss reason").selectOption({ label: "Other…" });
    await page.getByLabel("Other reason").fill(reason);
    // The save (a server action: a POST to the page with a Next-Action header) is held until its
    // pending state has been seen: a fast save would otherwise be over before the check.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const isLeadPage = (url: URL) => url.pathname.startsWith("/leads/");
    await page.route(isLeadPage, async (route) => {
      if (route.request().method() === "POST" && route.request().headers()["next-action"]) await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("button", { name: "Saving…" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Saving…" })).toBeDisabled();
    release();

    await expect(page.getByText("Lead saved")).toBeVisible();
    await page.unroute(isLeadPage);
    await expect(page.locator("header").getByTestId("status-badge")).toHaveText("Lost");
    await expect(page.getByTestId("lead-loss-reason")).toHaveText(`Other: ${reason}`);
    const entry = page.getByTestId("timeline-entry").first();
    await expect(entry.getByTestId("timeline-actor")).toHaveText(DEMO.sales.name);
    await expect(entry).toContainText("in the app");
    await expect(entry).toContainText(/Status: from \w+ → to Lost/);
    await expect(entry).toContainText(`Loss reason: from none → to ${reason}`);
    await expectAccessible(page);

    // The list shows the new status too.
    await page.getByRole("link", { name: "All leads" }).click();
    await page.getByLabel("Search").fill("Grace Hopper");
    await expect(page).toHaveURL(/search=Grace\+Hopper/);
    await expect(page.getByTestId("lead-row").first().getByTestId("status-badge")).toHaveText("Lost");
  });

  test("a PATCH through the API shows in the timeline after a reload", async ({ signedInPage: page, request, apiKey }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: `API Timeline ${unique()}`, value: 1000 });
    await page.goto(`/leads/${lead.id}`);
    await expect(page.getByTestId("timeline-entry")).toHaveCount(1);

    const note = `Called from the integration ${unique()}`;
    await patchLeadViaApi(request, apiKey, { id: lead.id, status: "qualified", value: "2500.50", note });
    await page.reload();

    const entry = page.getByTestId("timeline-entry").first();
    await expect(entry.getByTestId("timeline-actor")).toHaveText(`API key ${apiKey.name}`);
    await expect(entry).toContainText("through the API");
    await expect(entry).toContainText("Status: from Open → to Qualified");
    await expect(entry).toContainText("Value: from $1,000.00 → to $2,500.50");
    await expect(entry).toContainText(note);
    await expect(page.getByTestId("lead-value")).toHaveText("$2,500.50");
  });

  test("a long timeline shows the newest entries and loads older ones on demand", async ({ signedInPage: page, request, apiKey }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: `Long Timeline ${unique()}` });
    for (let i = 1; i <= 55; i++) {
      const response = await request.patch("/api/leads", { headers: { "X-API-KEY": apiKey.plaintext }, data: { id: lead.id, note: `Call number ${i}` } });
      expect(response.status()).toBe(200);
    }
    await page.goto(`/leads/${lead.id}`);
    const entries = page.getByTestId("timeline-entry");
    await expect(entries.first()).toContainText("Call number 55");
    await expect(entries).toHaveCount(50);
    await expect(page.getByTestId("timeline")).not.toContainText("created the lead");

    await page.getByRole("button", { name: "Load older" }).click();
    await expect(entries).toHaveCount(56);
    await expect(entries.last()).toContainText("created the lead");
    await expect(entries.nth(54)).toContainText("Call number 1");
    await expect(page.getByRole("button", { name: "Load older" })).toHaveCount(0);
    await expectAccessible(page);
  });

  test("a stale form is refused: the user sees what changed, the form refreshes, the note is kept", async ({
    signedInPage: page,
    request,
    apiKey,
  }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: `Stale Form ${unique()}`, value: 1000 });
    await page.goto(`/leads/${lead.id}`);
    await expect(page.getByLabel("Value")).toHaveValue("1000");

    // Someone else changes the lead after the form was opened.
    await patchLeadViaApi(request, apiKey, { id: lead.id, status: "qualified", value: 7500 });

    const note = `My call notes ${unique()}`;
    await page.getByLabel("Status").selectOption("won");
    await page.getByLabel("Add a note").fill(note);
    await page.getByRole("button", { name: "Save changes" }).click();

    const alert = page.getByTestId("conflict-alert");
    await expect(alert).toContainText("changed by someone else");
    await expect(alert).toContainText("Status: Open → Qualified");
    await expect(alert).toContainText("Value: $1,000.00 → $7,500.00");
    await expect(alert).toContainText("Status: Won");
    await expect(page.getByText("Not saved: someone else changed this lead")).toBeVisible();
    // Current values in the form, the note still typed, nothing written by this save.
    await expect(page.getByLabel("Status")).toHaveValue("qualified");
    await expect(page.getByLabel("Value")).toHaveValue("7500");
    await expect(page.getByLabel("Add a note")).toHaveValue(note);
    await expect(page.getByTestId("timeline")).not.toContainText(note);
    await expect(page.getByTestId("timeline-entry").first().getByTestId("timeline-actor")).toHaveText(`API key ${apiKey.name}`);

    // Saving again, on the current version, goes through.
    await page.getByLabel("Status").selectOption("won");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Lead saved")).toBeVisible();
    await expect(page.getByTestId("conflict-alert")).toHaveCount(0);
    await expect(page.getByLabel("Add a note")).toHaveValue("");
    const entry = page.getByTestId("timeline-entry").first();
    await expect(entry).toContainText(note);
    await expect(entry).toContainText("Status: from Qualified → to Won");
  });

  test("validation errors show next to the fields", async ({ signedInPage: page, request, apiKey }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: `Validation ${unique()}`, value: 1000 });
    await page.goto(`/leads/${lead.id}`);

    const value = page.getByLabel("Value");
    for (const [input, message] of [
      ["5,000", "Value must be a plain number without thousands separators"],
      ["-5", "Value must not be negative"],
      ["ten", "Value must be a number"],
      ["9999999999999", "Value must be at most 999999999999.99"],
    ] as const) {
      await value.fill(input);
      await page.getByRole("button", { name: "Save changes" }).click();
      await expect(value).toHaveAttribute("aria-invalid", "true");
      const describedBy = (await value.getAttribute("aria-describedby")) ?? "";
      const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
      expect(errorId).toBeTruthy();
      await expect(page.locator(`[id="${errorId}"]`)).toContainText(message);
    }
    await expectAccessible(page);
    // Nothing was saved.
    await expect(page.getByTestId("lead-value")).toHaveText("$1,000.00");

    // A valid value clears the error.
    await value.fill("1234.5");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Lead saved")).toBeVisible();
    await expect(value).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("lead-value")).toHaveText("$1,234.50");
  });

  test("new lead form: same rules as POST /api/leads, errors next to the fields", async ({ signedInPage: page }) => {
    await page.getByRole("link", { name: "New lead" }).first().click();
    await expect(page.getByRole("heading", { name: "New lead", level: 1 })).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Create lead" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "At least one of name, email or phone is required" })).toBeVisible();

    await page.getByLabel("Name").fill(`Ada Lovelace ${unique()}`);
    await page.getByLabel("E-mail").fill("ada@");
    await page.getByLabel("Phone").fill("call me");
    await page.getByLabel("Value").fill("1.000,50");
    const expectFieldError = async (label: string, message: string) => {
      const field = page.getByLabel(label);
      await expect(field).toHaveAttribute("aria-invalid", "true");
      const errorId = ((await field.getAttribute("aria-describedby")) ?? "").split(" ").find((id) => id.endsWith("-error"));
      expect(errorId).toBeTruthy();
      await expect(page.locator(`[id="${errorId}"]`)).toHaveText(message);
    };
    // Checked in the same order as the API: field formats first, then the e-mail, then the phone.
    await page.getByRole("button", { name: "Create lead" }).click();
    await expectFieldError("Value", "Value must be a plain number without thousands separators, e.g. \"5000.50\"");
    await expectAccessible(page);

    await page.getByLabel("Value").fill("1000.50");
    await page.getByRole("button", { name: "Create lead" }).click();
    await expectFieldError("E-mail", "E-mail must be a valid e-mail address");
    await expect(page.getByLabel("Value")).not.toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);

    await page.getByLabel("E-mail").fill("ada@analytical.example");
    await page.getByRole("button", { name: "Create lead" }).click();
    await expectFieldError("Phone", "Phone must be a phone number such as +1 415 555 2671");
    const phone = page.getByLabel("Phone");

    await phone.fill("+44 20 7946 0958");
    await page.getByRole("button", { name: "Create lead" }).click();
    await expect(page).toHaveURL(/\/leads\/lead_[A-Za-z0-9]+$/);
    await expect(page.getByText("Lead created")).toBeVisible();
    await expect(page.locator("header").getByTestId("status-badge")).toHaveText("Open");
    await expect(page.getByTestId("lead-value")).toHaveText("$1,000.50");
    await expect(page.getByTestId("timeline-entry").first()).toContainText(`${DEMO.sales.name} created the lead in the app`);
  });
});
