import pg from "pg";
import { COMPACT_QUERY, DASHBOARD_QUERY, isoDay, PERIODS, periodStart, type Period } from "@/lib/dashboard/queries";

/**
 * The dashboard case of `npm run bench`: the server work of one dashboard view (lib/dashboard's
 * read of the rollup and its pending changes, plus the loss-reason list, in parallel as the app
 * does) for every period, against the 300 ms target. The seed's inserts went through the triggers
 * into the delta table; the rollup job's compaction runs first, as it would within a minute in
 * the app, and its time is printed too. Self-contained: the runner calls it with the seeded
 * database and organization.
 */

export const DASHBOARD_TARGET_MS = 300;

export interface DashboardCaseResult {
  period: Period;
  p50: number;
  max: number;
  met: boolean;
}

async function viewOnce(clients: pg.Client[], organizationId: string, period: Period): Promise<number> {
  const start = isoDay(periodStart(period, new Date()));
  const started = performance.now();
  await Promise.all([
    clients[0]!.query(DASHBOARD_QUERY, [organizationId, start]),
    clients[1]!.query(`SELECT * FROM "LossReason" WHERE "organizationId" = $1 ORDER BY "position"`, [organizationId]),
  ]);
  return performance.now() - started;
}

export async function runDashboardCase(options: {
  databaseUrl: string;
  organizationId: string;
  leads: number;
  runs?: number;
  log: (line: string) => void;
}): Promise<DashboardCaseResult[]> {
  const runs = options.runs ?? 15;
  const clients = await Promise.all(
    Array.from({ length: 2 }, async () => {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const results: DashboardCaseResult[] = [];
  try {
    const pending = await clients[0]!.query<{ n: string }>(`SELECT count(*)::text AS n FROM "DashboardDelta"`);
    let started = performance.now();
    await clients[0]!.query(COMPACT_QUERY);
    const compactMs = performance.now() - started;
    const rollup = await clients[0]!.query<{ n: string }>(`SELECT count(*)::text AS n FROM "DashboardRollup" WHERE "organizationId" = $1`, [options.organizationId]);
    options.log(`Dashboard rollup: ${pending.rows[0]?.n} pending rows folded in ${compactMs.toFixed(0)} ms; ${rollup.rows[0]?.n} rollup rows for the organization`);
    started = performance.now();
    for (const period of PERIODS) {
      await viewOnce(clients, options.organizationId, period); // warm the caches and the plans
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await viewOnce(clients, options.organizationId, period));
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)] ?? 0;
      const max = times[times.length - 1] ?? 0;
      results.push({ period, p50, max, met: max < DASHBOARD_TARGET_MS });
    }
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  console.log(`\nDashboard server work at ${options.leads.toLocaleString("en-US")} leads (${runs} views per period, after one warm-up)`);
  console.log("  period   p50 ms   max ms");
  for (const r of results) console.log(`  ${r.period.padEnd(7)}  ${r.p50.toFixed(1).padStart(6)}   ${r.max.toFixed(1).padStart(6)}   ${r.met ? "met    " : "NOT MET"} (< ${DASHBOARD_TARGET_MS} ms)`);
  return results;
}
