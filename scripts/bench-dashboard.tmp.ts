import pg from "pg";
import { startTempDatabase } from "./lib/test-environment";
import { createOrganization, seedLeads } from "./bench/seed";
import { runDashboardCase } from "./bench/dashboard";
const N = Number(process.argv[2] ?? 1_000_000);
const log = (l: string) => console.log(l);
const database = await startTempDatabase("leadline-dash-bench", "leadline_dash_bench");
try {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const org = await createOrganization(db);
  const t = Date.now();
  await seedLeads({ databaseUrl: database.url, organizationId: org.organizationId, from: 0, to: N, rebuildIndexes: true, parallel: 2, log });
  log(`seeded in ${(Date.now() - t) / 1000}s`);
  for (const q of ["statuses", "created"]) {
    const r = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${q === "statuses" ? `SELECT "status"::text, count(*), sum("value") FROM "Lead" WHERE "organizationId" = $1 GROUP BY 1` : `SELECT date_trunc('week', "createdAt"), "source", count(*) FROM "Lead" WHERE "organizationId" = $1 AND "createdAt" >= $2 GROUP BY 1, 2`}`, q === "statuses" ? [org.organizationId] : [org.organizationId, new Date(0)]);
    log(r.rows.map((x: Record<string, string>) => Object.values(x)[0]).join("\n"));
  }
  await db.end();
  await runDashboardCase({ databaseUrl: database.url, organizationId: org.organizationId, leads: N, log });
} finally {
  await database.dispose();
}
