/**
 * The dashboard's SQL, in one place so the app, the rollup job and `npm run bench`
 * (scripts/bench/dashboard.ts) run exactly the same statements.
 *
 * The figures come from a rollup, not from scanning "Lead": statement triggers on "Lead"
 * (migration 20261127140001_loss_reasons_and_dashboard) append each statement's change of the
 * figures to "DashboardDelta" (an INSERT, never an UPDATE of a shared counter row, so the PATCH hot
 * path does not serialize), and the rollup job folds those rows into "DashboardRollup" every
 * minute. A read sums both in one statement (one snapshot), so the figures are exact and current
 * whether or not the job has run; the job only keeps the delta table short.
 *
 * Rows are per organization, kind, day (UTC) and dimension:
 * - status  (day 1970-01-01, dim = status): count and value of every lead;
 * - created (dim = source): leads created that day;
 * - won     (dim = ""): leads now won, by the day they were won, with their value;
 * - lost    (dim = lossReasonId or "" for Other): leads now lost, by the day they were lost.
 * Parameters: $1 the organization id, $2 the first day of the period ('YYYY-MM-DD').
 */
export const DASHBOARD_QUERY = `SELECT "kind", "day"::text AS "day", "dim", sum("count")::int AS "count", sum("value")::text AS "value"
  FROM (
    SELECT "kind", "day", "dim", "count", "value" FROM "DashboardRollup"
    WHERE "organizationId" = $1 AND ("kind" = 'status' OR "day" >= $2::date)
    UNION ALL
    SELECT "kind", "day", "dim", "count", "value" FROM "DashboardDelta"
    WHERE "organizationId" = $1 AND ("kind" = 'status' OR "day" >= $2::date)
  ) AS "figures"
  GROUP BY 1, 2, 3
  HAVING sum("count") <> 0 OR sum("value") <> 0`;

/**
 * Folds every delta row this statement sees into the rollup, atomically: a concurrent read sees
 * the rows either as deltas or in the rollup, never both; rows committed meanwhile wait for the
 * next run. Two instances running it at once cannot count a row twice (a deleted row is gone).
 */
export const COMPACT_QUERY = `WITH "moved" AS (
    DELETE FROM "DashboardDelta" RETURNING "organizationId", "kind", "day", "dim", "count", "value"
  )
  INSERT INTO "DashboardRollup" AS r ("organizationId", "kind", "day", "dim", "count", "value")
  SELECT "organizationId", "kind", "day", "dim", sum("count")::int, sum("value") FROM "moved" GROUP BY 1, 2, 3, 4
  ON CONFLICT ("organizationId", "kind", "day", "dim")
  DO UPDATE SET "count" = r."count" + EXCLUDED."count", "value" = r."value" + EXCLUDED."value"`;

export interface FigureRow {
  kind: "status" | "created" | "won" | "lost";
  /** 'YYYY-MM-DD' */
  day: string;
  dim: string;
  count: number;
  value: string;
}

/** 'YYYY-MM-DD' (UTC) of a date. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

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
