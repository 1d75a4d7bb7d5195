import { formatMoney } from "@/components/format";
import { prisma } from "@/lib/db/client";
import { DEMO } from "@/lib/demo/seed-demo";
import type { LeadStatusValue } from "@/lib/leads/normalize";
import { getOrganizationBySlugOrThrow } from "@/lib/organizations/organizations";
import { createLeadViaApi, expect, expectAccessible, patchLeadViaApi, signIn, test } from "./fixtures";

/** What the dashboard should show for Acme now, read from the database the app uses. */
async function acmeFigures(): Promise<Record<LeadStatusValue, { count: number; value: string }>> {
  const acme = await getOrganizationBySlugOrThrow(DEMO.organization.slug);
  const groups = await prisma.lead.groupBy({ by: ["status"], where: { organizationId: acme.id }, _count: { _all: true }, _sum: { value: true } });
  const figure = (status: LeadStatusValue) => {
    const g = groups.find((x) => x.status === status);
    return { count: g?._count._all ?? 0, value: formatMoney(Number(g?._sum.value?.toString() ?? 0), "USD") };
  };
  return { open: figure("open"), qualified: figure("qualified"), won: figure("won"), lost: figure("lost") };
}

test.describe("dashboard", () => {
  test("shows the seeded figures, and a PATCH through the API changes them after a reload", async ({ page, request, apiKey }) => {
    const lead = await createLeadViaApi(request, apiKey, { name: `Dashboard Deal ${Date.now()}`, value: "4321.50", source: "webform" });
    await signIn(page, DEMO.sales);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

    const before = await acmeFigures();
    for (const status of ["open", "qualified", "won", "lost"] as const) {
      const card = page.getByTestId(`figure-${status}`);
      await expect(card.getByTestId("figure-count")).toHaveText(`${before[status].count.toLocaleString("en-US")} leads`);
      await expect(card.getByTestId("figure-value")).toHaveText(before[status].value);
    }
    // The demo data has a year of history: every chart has something to draw, with a text alternative.
    await expect(page.getByTestId("chart-weekly").locator("svg.recharts-surface").first()).toBeVisible();
    await expect(page.getByTestId("chart-loss-reasons").getByRole("table")).toContainText("Too expensive");
    await expect(page.getByTestId("chart-sources").getByRole("table")).toContainText("webform");
    await expect(page.getByTestId("win-rate")).toHaveText(/^\d+%$/);
    await expectAccessible(page);

    await patchLeadViaApi(request, apiKey, { id: lead.id, status: "won" });
    await page.reload();
    const after = await acmeFigures();
    expect(after.open.count).toBe(before.open.count - 1);
    expect(after.won.count).toBe(before.won.count + 1);
    await expect(page.getByTestId("figure-open").getByTestId("figure-count")).toHaveText(`${after.open.count.toLocaleString("en-US")} leads`);
    await expect(page.getByTestId("figure-won").getByTestId("figure-count")).toHaveText(`${after.won.count.toLocaleString("en-US")} leads`);
    await expect(page.getByTestId("figure-won").getByTestId("figure-value")).toHaveText(after.won.value);
  });

  test("keeps the period in the URL, stays readable at 390 px, and says when a period is empty", async ({ signedInPage: page, otherOrganization }) => {
    await page.goto("/dashboard");
    await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "Last 12 months" }).click();
    await expect(page).toHaveURL(/\/dashboard\?period=12m$/);
    await expect(page.getByRole("link", { name: "Last 12 months" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("figure-win-rate")).toContainText("last 12 months");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByTestId("chart-weekly").locator("svg.recharts-surface").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    // A new organization has nothing yet: the charts say so instead of drawing empty axes.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, otherOrganization.user);
    await expect(page.getByTestId("chart-weekly-summary")).toHaveText("No leads were created, won or lost in this period (last 90 days).");
    await expect(page.getByText("No lost leads in this period.")).toBeVisible();
    await expect(page.locator("svg.recharts-surface")).toHaveCount(0);
    await expect(page.getByTestId("win-rate")).toHaveText("—");
  });
});
