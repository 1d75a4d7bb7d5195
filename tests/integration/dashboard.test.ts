import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { getDashboard } from "@/lib/dashboard/dashboard";
import { compactDashboardRollup } from "@/lib/dashboard/jobs";
import { parsePeriod, periodStart, weekStart } from "@/lib/dashboard/queries";
import { updateLeads } from "@/lib/leads/update-leads";
import { createTestLead, createTestOrganization } from "../helpers/fixtures";

const DAY = 24 * 60 * 60 * 1000;

describe("dashboard", () => {
  it("counts by status, win rate by wonAt/lostAt in the period, weeks, reasons (Other last) and sources", async () => {
    const org = await createTestOrganization();
    const reason = await prisma.lossReason.create({ data: { id: `lr_${org.slug}`, organizationId: org.organizationId, name: "Too expensive", position: 1 } });
    await createTestLead(org, { name: "Open", value: "100", source: "webform" });
    await createTestLead(org, { name: "Won", status: "won", value: "250.50", source: "webform" });
    await createTestLead(org, { name: "Lost A", status: "lost", lossReason: "too expensive", source: "calltracker" });
    await createTestLead(org, { name: "Lost B", status: "lost", lossReason: "Mars", source: "webform" });
    // Won long ago: counts in "all time" but not in the last 30 days.
    const old = await createTestLead(org, { name: "Old win", status: "won", value: "1000" });
    await prisma.lead.update({ where: { id: old.id }, data: { wonAt: new Date(Date.now() - 200 * DAY), createdAt: new Date(Date.now() - 210 * DAY) } });

    const recent = await getDashboard(org.appCtx.organization, "30d");
    expect(recent.statuses).toEqual([
      { status: "open", count: 1, value: 100 },
      { status: "qualified", count: 0, value: 0 },
      { status: "won", count: 2, value: 1250.5 },
      { status: "lost", count: 2, value: 0 },
    ]);
    expect(recent.won).toEqual({ count: 1, value: 250.5 });
    expect(recent.winRate).toBeCloseTo(1 / 3);
    expect(recent.lossReasons).toEqual([
      { id: reason.id, name: "Too expensive", count: 1 },
      { id: null, name: "Other", count: 1 },
    ]);
    expect(recent.sources).toEqual([
      { source: "webform", count: 3 },
      { source: "calltracker", count: 1 },
    ]);
    expect(recent.weeks.reduce((s, w) => s + w.created, 0)).toBe(4);
    expect(recent.weeks.at(-1)).toMatchObject({ created: 4, won: 1, lost: 2 });

    const all = await getDashboard(org.appCtx.organization, "all");
    expect(all.winRate).toBeCloseTo(2 / 4);
    expect(all.weeks[0]?.created).toBe(1);

    // A lead that leaves won no longer counts as won.
    await updateLeads(org.appCtx, { match: { by: "id", id: old.id }, changes: { status: "open" } });
    expect((await getDashboard(org.appCtx.organization, "all")).won.count).toBe(1);
  });

  it("a lead update appends change rows and touches no shared counter row; the rollup job folds them without changing the figures", async () => {
    const org = await createTestOrganization();
    const lead = await createTestLead(org, { name: "Counted", value: "500", source: "webform" });
    await compactDashboardRollup();
    const rollupBefore = await prisma.dashboardRollup.findMany({ where: { organizationId: org.organizationId }, orderBy: [{ kind: "asc" }, { dim: "asc" }] });
    expect(rollupBefore.find((r) => r.kind === "status" && r.dim === "open")).toMatchObject({ count: 1 });

    // A note alone changes no figure: no row at all.
    await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { note: "Just a note" } });
    expect(await prisma.dashboardDelta.count({ where: { organizationId: org.organizationId } })).toBe(0);

    await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "won" } });
    const deltas = await prisma.dashboardDelta.findMany({ where: { organizationId: org.organizationId } });
    expect(deltas.map((d) => [d.kind, d.dim, d.count, Number(d.value)]).sort()).toEqual([
      ["status", "open", -1, -500],
      ["status", "won", 1, 500],
      ["won", "", 1, 500],
    ]);
    // The rollup rows were not touched by the update.
    expect(await prisma.dashboardRollup.findMany({ where: { organizationId: org.organizationId }, orderBy: [{ kind: "asc" }, { dim: "asc" }] })).toEqual(rollupBefore);

    const now = new Date();
    const before = await getDashboard(org.appCtx.organization, "all", now);
    expect(before.statuses.find((s) => s.status === "won")).toEqual({ status: "won", count: 1, value: 500 });
    await compactDashboardRollup();
    expect(await prisma.dashboardDelta.count({ where: { organizationId: org.organizationId } })).toBe(0);
    const after = await getDashboard(org.appCtx.organization, "all", now);
    expect({ ...after, serverMs: 0 }).toEqual({ ...before, serverMs: 0 });
  });

  it("says nothing happened in an empty organization", async () => {
    const org = await createTestOrganization();
    const data = await getDashboard(org.appCtx.organization, "90d");
    expect(data.winRate).toBeNull();
    expect(data.weeks.every((w) => w.created + w.won + w.lost === 0)).toBe(true);
    expect(data.lossReasons).toEqual([{ id: null, name: "Other", count: 0 }]);
  });

  it("parses periods from the URL and weeks start on Monday (UTC)", () => {
    expect(parsePeriod("12m")).toBe("12m");
    expect(parsePeriod(["all"])).toBe("all");
    expect(parsePeriod("7y")).toBe("90d");
    expect(parsePeriod(undefined)).toBe("90d");
    expect(weekStart(new Date("2026-11-29T23:00:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(periodStart("12m", new Date("2026-11-27T00:00:00Z")).toISOString()).toBe("2025-11-27T00:00:00.000Z");
  });
});
