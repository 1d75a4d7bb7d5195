/**
 * The dashboard's SQL, in one place so the app and `npm run bench` (scripts/bench/dashboard.ts) run
 * exactly the same statements. Each one is served by an index-only scan of an index made for it
 * (see the migration 20261127140001_loss_reasons_and_dashboard_indexes):
 * - figures by status: (organizationId, status, value), all leads, every period;
 * - won per week: (organizationId, status, wonAt); lost per week and by reason: (organizationId, status, lostAt, lossReasonId);
 * - created per week and by source: (organizationId, createdAt, source).
 * Parameters: $1 the organization id, $2 the start of the period (a timestamp, UTC).
 * Weeks start on Monday, in UTC. Nothing here writes: the PATCH hot path updates no shared counters.
 */

export const DASHBOARD_QUERIES = {
  statuses: `SELECT "status"::text AS "status", count(*)::int AS "count", coalesce(sum("value"), 0)::text AS "value"
    FROM "Lead" WHERE "organizationId" = $1 GROUP BY 1`,
  won: `SELECT date_trunc('week', "wonAt") AS "week", count(*)::int AS "count", coalesce(sum("value"), 0)::text AS "value"
    FROM "Lead" WHERE "organizationId" = $1 AND "status" = 'won' AND "wonAt" >= $2 GROUP BY 1`,
  lost: `SELECT date_trunc('week', "lostAt") AS "week", "lossReasonId", count(*)::int AS "count"
    FROM "Lead" WHERE "organizationId" = $1 AND "status" = 'lost' AND "lostAt" >= $2 GROUP BY 1, 2`,
  created: `SELECT date_trunc('week', "createdAt") AS "week", "source", count(*)::int AS "count"
    FROM "Lead" WHERE "organizationId" = $1 AND "createdAt" >= $2 GROUP BY 1, 2`,
} as const;

export type DashboardQueryName = keyof typeof DASHBOARD_QUERIES;

export interface StatusRow {
  status: "open" | "qualified" | "won" | "lost";
  count: number;
  value: string;
}
export interface WonRow {
  week: Date;
  count: number;
  value: string;
}
export interface LostRow {
  week: Date;
  lossReasonId: string | null;
  count: number;
}
export interface CreatedRow {
  week: Date;
  source: string;
  count: number;
}

export const PERIODS = ["30d", "90d", "12m", "all"] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = "90d";

export const PERIOD_LABELS: Record<Period, string> = {
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  "12m": "Last 12 months",
  all: "All time",
};

/** The start of a period ending at `now`; "all" starts at the epoch. */
export function periodStart(period: Period, now: Date): Date {
  const DAY = 24 * 60 * 60 * 1000;
  switch (period) {
    case "30d":
      return new Date(now.getTime() - 30 * DAY);
    case "90d":
      return new Date(now.getTime() - 90 * DAY);
    case "12m": {
      const start = new Date(now);
      start.setUTCFullYear(start.getUTCFullYear() - 1);
      return start;
    }
    case "all":
      return new Date(0);
  }
}

export function parsePeriod(value: string | string[] | undefined | null): Period {
  const v = Array.isArray(value) ? value[0] : value;
  return (PERIODS as readonly string[]).includes(v ?? "") ? (v as Period) : DEFAULT_PERIOD;
}

/** Monday 00:00 UTC of the week of `d`, as date_trunc('week', …) computes it. */
export function weekStart(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const offset = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - offset * 24 * 60 * 60 * 1000);
}
