import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { LEAD_STATUSES, type LeadStatusValue } from "@/lib/leads/normalize";
import { findLossReasons } from "@/lib/loss-reasons/store";
import { OTHER_LOSS_REASON } from "@/lib/loss-reasons/schemas";
import { DASHBOARD_QUERY, isoDay, PERIOD_LABELS, periodStart, weekStart, type FigureRow, type Period } from "./queries";

export interface DashboardDto {
  period: Period;
  periodLabel: string;
  /** First day of the period (null for all time) and the moment the figures were read (rollup plus pending changes: exact). */
  from: string | null;
  asOf: string;
  currency: string;
  statuses: { status: LeadStatusValue; count: number; value: number }[];
  won: { count: number; value: number };
  lost: { count: number };
  /** won / (won + lost) over the period, by wonAt/lostAt; null when nothing was closed. */
  winRate: number | null;
  /** Monday (UTC) of each week in the period, oldest first. */
  weeks: { week: string; created: number; won: number; lost: number }[];
  /** Managed reasons in their order (archived ones only when they have leads), then "Other". */
  lossReasons: { id: string | null; name: string; count: number }[];
  sources: { source: string; count: number }[];
  /** Server time of the dashboard's reads, in milliseconds. */
  serverMs: number;
}

const WEEK = 7 * 24 * 60 * 60 * 1000;
const money = (v: string) => Number(v);

/** The dashboard of an organization for a period: one read of the rollup and its pending changes, a few thousand rows at most. */
export async function getDashboard(organization: OrganizationSettings, period: Period, now = new Date()): Promise<DashboardDto> {
  const started = performance.now();
  const start = periodStart(period, now);
  const [rows, reasons] = await Promise.all([
    prisma.$queryRawUnsafe<FigureRow[]>(DASHBOARD_QUERY, organization.id, isoDay(start)),
    findLossReasons(organization.id),
  ]);

  const statuses = LEAD_STATUSES.map((status) => {
    const row = rows.find((r) => r.kind === "status" && r.dim === status);
    return { status, count: row?.count ?? 0, value: row ? money(row.value) : 0 };
  });

  const weeks = new Map<number, { created: number; won: number; lost: number }>();
  const bucket = (day: string) => {
    const key = weekStart(new Date(`${day}T00:00:00Z`)).getTime();
    let b = weeks.get(key);
    if (!b) weeks.set(key, (b = { created: 0, won: 0, lost: 0 }));
    return b;
  };
  let wonCount = 0;
  let wonValue = 0;
  let lostCount = 0;
  const byReason = new Map<string | null, number>();
  const bySource = new Map<string, number>();
  for (const row of rows) {
    if (row.kind === "won") {
      bucket(row.day).won += row.count;
      wonCount += row.count;
      wonValue += money(row.value);
    } else if (row.kind === "lost") {
      bucket(row.day).lost += row.count;
      lostCount += row.count;
      const id = row.dim === "" ? null : row.dim;
      byReason.set(id, (byReason.get(id) ?? 0) + row.count);
    } else if (row.kind === "created") {
      bucket(row.day).created += row.count;
      bySource.set(row.dim, (bySource.get(row.dim) ?? 0) + row.count);
    }
  }

  // Every week of the period, empty ones included; "all time" starts at the first week with data.
  const keys = [...weeks.keys()].filter((k) => {
    const b = weeks.get(k);
    return b !== undefined && b.created + b.won + b.lost > 0;
  });
  const first = period === "all" ? (keys.length > 0 ? Math.min(...keys) : weekStart(now).getTime()) : weekStart(start).getTime();
  const series: DashboardDto["weeks"] = [];
  for (let t = first; t <= weekStart(now).getTime(); t += WEEK) {
    const b = weeks.get(t) ?? { created: 0, won: 0, lost: 0 };
    series.push({ week: new Date(t).toISOString(), ...b });
  }

  const lossReasons: DashboardDto["lossReasons"] = reasons
    .filter((r) => r.archivedAt === null || (byReason.get(r.id) ?? 0) > 0)
    .map((r) => ({ id: r.id, name: r.name, count: byReason.get(r.id) ?? 0 }));
  // A link to a reason of another list cannot exist (same organization), so everything else is "Other".
  const known = new Set(lossReasons.map((r) => r.id));
  const other = [...byReason.entries()].filter(([id]) => id === null || !known.has(id)).reduce((sum, [, n]) => sum + n, 0);
  lossReasons.push({ id: null, name: OTHER_LOSS_REASON, count: other });

  return {
    period,
    periodLabel: PERIOD_LABELS[period],
    from: period === "all" ? null : start.toISOString(),
    asOf: now.toISOString(),
    currency: organization.currency,
    statuses,
    won: { count: wonCount, value: wonValue },
    lost: { count: lostCount },
    winRate: wonCount + lostCount > 0 ? wonCount / (wonCount + lostCount) : null,
    weeks: series,
    lossReasons,
    sources: [...bySource.entries()].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count || a.source.localeCompare(b.source)),
    serverMs: Math.round(performance.now() - started),
  };
}
