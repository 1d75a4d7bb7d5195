import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures";

/** LEADLINE_SCREENSHOTS=<folder>: keeps a full-page screenshot of each step (for reviewing the page by eye). */
async function shot(page: Page, name: string): Promise<void> {
  const folder = process.env.LEADLINE_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

/** The import page as a salesperson walks it: upload → mapping → preview → run → progress → report; and the list's export. */
test.describe("CSV import and export", () => {
  test("imports a file with a bad row, shows progress and a report with the failed rows to download", async ({ signedInPage: page }) => {
    // Many steps, each waiting on the server: more than the default budget on a busy machine.
    test.setTimeout(150_000);
    const id = randomBytes(4).toString("hex");
    await page.goto("/leads");
    await page.getByRole("link", { name: "Import CSV" }).click();
    await expect(page).toHaveURL(/\/leads\/import$/);
    await expect(page.getByRole("heading", { name: "Import leads" })).toBeVisible();

    const csv = `\ufeffFull Name;E-mail;Amount;Stage;Remarks\nE2E Ada ${id};ada-${id}@e2e.example;1200;qualified;met at the fair\nE2E Bad ${id};bad-email;-5;;\n`;
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({ name: `fair-${id}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await shot(page, "1-upload");
    await page.getByRole("button", { name: "Upload" }).click();

    // Mapping: recognised headers are chosen, the rest can be picked by hand.
    await expect(page.getByRole("heading", { name: "2. Map the columns" })).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Full Name");
    await expect(page.getByLabel("E-mail", { exact: true })).toHaveValue("E-mail");
    await expect(page.getByLabel("Value", { exact: true })).toHaveValue("Amount");
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("Stage");
    await expect(page.getByLabel("Note", { exact: true })).toHaveValue("");
    await page.getByLabel("Note", { exact: true }).selectOption("Remarks");
    await page.getByLabel("Update on e-mail match, create the rest").check();

    // Preview: the rows as they will be stored, and the bad row's errors in the API's words.
    const rows = page.getByTestId("preview-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(`E2E Ada ${id}`);
    await expect(rows.nth(0)).toContainText("1200.00");
    await expect(rows.nth(0)).toContainText("Create");
    await expect(rows.nth(1)).toContainText("email: must be a valid e-mail address");
    await expect(rows.nth(1)).toContainText("value: must not be negative");
    await expect(page.getByTestId("preview-summary")).toContainText("1 with errors");
    await expectAccessible(page);
    await shot(page, "2-mapping-preview");

    // Run: the import's own page shows progress, then the report.
    await page.getByRole("button", { name: "Import 2 rows" }).click();
    await expect(page).toHaveURL(/\/leads\/import\/imp_[A-Za-z0-9]+$/);
    const importUrl = page.url();
    await expect(page.getByRole("progressbar", { name: "Rows imported" })).toBeVisible();
    await shot(page, "3-progress");
    await expect(page.getByTestId("import-status")).toHaveText("Finished", { timeout: 30_000 });
    await expect(page.getByRole("progressbar", { name: "Rows imported" })).toHaveAttribute("aria-valuenow", "2");
    const counts = page.getByTestId("import-counts");
    await expect(counts).toContainText("2 of 2");
    await expect(page.getByRole("heading", { name: "Report" })).toBeVisible();
    await expect(page.getByText("1 created, 0 updated, 1 failed.")).toBeVisible();
    await expectAccessible(page);
    await shot(page, "4-report");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download failed rows (CSV)" }).click()]);
    expect(download.suggestedFilename()).toBe(`fair-${id}-failed-rows.csv`);
    const report = fs.readFileSync((await download.path())!, "utf8");
    expect(report).toContain("Full Name,E-mail,Amount,Stage,Remarks,import_row,import_error");
    expect(report).toContain(`E2E Bad ${id},bad-email,'-5,,,2,email: must be a valid e-mail address; value: must not be negative`);

    // The page can be left and reopened; the imported lead is on the list with its note.
    await page.goto("/leads");
    await page.goto(importUrl);
    await expect(page.getByTestId("import-status")).toHaveText("Finished");
    await page.goto(`/leads?search=${encodeURIComponent(`E2E Ada ${id}`)}`);
    await page.getByRole("link", { name: `E2E Ada ${id}` }).click();
    await expect(page.getByText(`Imported from fair-${id}.csv (row 1): met at the fair`)).toBeVisible();
  });

  test("exports the list's current view as CSV, with a BOM for Excel when asked", async ({ signedInPage: page }) => {
    await page.goto("/leads?search=grace.hopper%40naval");
    await expect(page.getByTestId("lead-row")).toHaveCount(1);
    await page.getByLabel("For Excel (BOM)").check();
    await shot(page, "5-list-export");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("grace.hopper@navalsystems.example");
  });
});
