import { randomInt } from "node:crypto";
import type { Page } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed-demo";
import { createLeadViaApi, expect, expectAccessible, patchLeadViaApi, signIn, test } from "./fixtures";

// Letters only: three digits in a search would also match phone numbers.
const tag = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("");

const column = (page: Page, status: string) => page.getByTestId(`pipeline-column-${status}`);
const card = (page: Page, name: string) => page.getByTestId("pipeline-card").filter({ hasText: name });

/** Opens the board filtered to one lead, so other tests' leads do not get in the way. */
async function openBoard(page: Page, search: string) {
  await page.goto(`/pipeline?search=${encodeURIComponent(search)}`);
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
}

/** Moves a card with the keyboard only: focus its "Move to…" button, open it, pick a column. */
async function moveByKeyboard(page: Page, name: string, to: string) {
  await card(page, name).getByRole("button", { name: `Move to… ${name}` }).focus();
  await page.keyboard.press("Enter");
  const option = page.getByRole("list", { name: `Move ${name} to` }).getByRole("button", { name: to });
  for (let i = 0; i < 3 && !(await option.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
}

async function dragCard(page: Page, name: string, to: string) {
  const from = await card(page, name).locator("p").last().boundingBox();
  const target = await column(page, to).boundingBox();
  if (!from || !target) throw new Error("card or column not on screen");
  await page.mouse.move(from.x + 10, from.y + 5);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y + 20, { steps: 5 });
  await page.mouse.move(target.x + target.width / 2, target.y + 60, { steps: 15 });
  await page.mouse.up();
}

test.describe("pipeline board", () => {
  test("a card is moved by keyboard and by drag, and the lead's timeline shows it", async ({ signedInPage: page, request, apiKey }) => {
    const name = `Board Mover ${tag()}`;
    await createLeadViaApi(request, apiKey, { name, company: "Moving Co", value: "2500" });
    await openBoard(page, name);
    await expect(column(page, "open").getByTestId("column-summary")).toHaveText("1 lead · $2,500.00");
    await expect(card(page, name)).toContainText("Moving Co");
    await expect(card(page, name)).toContainText("Last activity");
    await expectAccessible(page);

    await moveByKeyboard(page, name, "Qualified");
    await expect(page.getByText(`${name} moved to Qualified`).first()).toBeVisible();
    await expect(column(page, "qualified").getByTestId("pipeline-card")).toContainText(name);
    await expect(column(page, "qualified").getByTestId("column-summary")).toHaveText("1 lead · $2,500.00");
    await expect(column(page, "open").getByTestId("column-count")).toHaveText("0");

    await dragCard(page, name, "won");
    await expect(page.getByText(`${name} moved to Won`).first()).toBeVisible();
    await expect(column(page, "won").getByTestId("pipeline-card")).toContainText(name);

    await card(page, name).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    const entries = page.getByTestId("timeline-entry");
    await expect(entries.nth(0)).toContainText("Status: from Qualified → to Won");
    await expect(entries.nth(0)).toContainText(DEMO.sales.name);
    await expect(entries.nth(1)).toContainText("Status: from Open → to Qualified");
  });

  test("a stale move is refused: the card goes back and the board says why", async ({ signedInPage: page, request, apiKey }) => {
    const name = `Stale Card ${tag()}`;
    const lead = await createLeadViaApi(request, apiKey, { name, value: "100" });
    await openBoard(page, name);
    await expect(card(page, name)).toBeVisible();

    // Someone else changes the lead after the board loaded.
    await patchLeadViaApi(request, apiKey, { id: lead.id, value: "150" });
    await moveByKeyboard(page, name, "Won");
    await expect(page.getByText(`${name} was not moved: someone else changed this lead since the board loaded`).first()).toBeVisible();
    await expect(column(page, "open").getByTestId("pipeline-card")).toContainText(name);
    await expect(column(page, "won").getByTestId("pipeline-card")).toHaveCount(0);
    // The refreshed board shows the other change; a second try works.
    await expect(column(page, "open").getByTestId("column-value")).toHaveText("$150.00");
    await moveByKeyboard(page, name, "Won");
    await expect(column(page, "won").getByTestId("pipeline-card")).toContainText(name);
  });

  test("an admin adds a loss reason, a salesperson picks it, and the chart shows it", async ({ page, browser, request, apiKey }) => {
    const reason = `Legal said no ${tag()}`;
    await signIn(page, DEMO.admin);
    await page.goto("/settings/loss-reasons");
    await expect(page.getByTestId("loss-reason-Too expensive")).toBeVisible();
    await page.getByLabel("Reason", { exact: true }).fill(reason);
    await page.getByRole("button", { name: "Add reason" }).click();
    await expect(page.getByTestId(`loss-reason-${reason}`)).toBeVisible();
    await expectAccessible(page);

    const name = `Lost Deal ${tag()}`;
    const lead = await createLeadViaApi(request, apiKey, { name, value: "900" });
    const salesContext = await browser.newContext();
    const sales = await salesContext.newPage();
    await signIn(sales, DEMO.sales);
    await openBoard(sales, name);
    await moveByKeyboard(sales, name, "Lost");
    // The reason comes first: nothing moves until it is given.
    const dialog = sales.getByRole("dialog", { name: `Why was ${name} lost?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Move to Lost" }).click();
    await expect(dialog.getByText("Loss reason is required")).toBeVisible();
    await expect(column(sales, "open").getByTestId("pipeline-card")).toContainText(name);
    await expectAccessible(sales);
    await dialog.getByLabel("Loss reason").selectOption({ label: reason });
    await dialog.getByRole("button", { name: "Move to Lost" }).click();
    await expect(column(sales, "lost").getByTestId("pipeline-card")).toContainText(name);
    // The card moves at once (optimistic); the toast comes with the server's answer.
    await expect(sales.getByText(`${name} moved to Lost`).first()).toBeVisible();
    await expect(column(sales, "lost").getByTestId("card-loss-reason")).toHaveText(reason);

    // The API reply has the text and the managed reason's id.
    const read = await request.get(`/api/leads/${lead.id}`, { headers: { "X-API-KEY": apiKey.plaintext } });
    const body = (await read.json()) as { data: { lossReason: string; lossReasonId: string | null } };
    expect(body.data.lossReason).toBe(reason);
    expect(body.data.lossReasonId).toMatch(/^lr_/);

    await sales.goto("/dashboard?period=30d");
    const chart = sales.getByTestId("chart-loss-reasons");
    await expect(chart.getByTestId("chart-loss-reasons-summary")).toContainText(`${reason}: 1`);
    await expect(chart.getByRole("row", { name: `${reason} 1` })).toHaveCount(1);
    // "Other" is the last bar.
    await expect(chart.getByRole("row").last()).toContainText("Other");
    await salesContext.close();
  });
});
