import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "../lib/test-environment";
import { processTree, treeMemory } from "./load";
import { createOrganization, seedLeads } from "./seed";

/**
 * `npm run bench -- csv [--rows 100000] [--export-leads 1000000]`: the CSV import and export of
 * issue 12 against the production build on a throw-away PostgreSQL.
 *   1. imports a generated file of --rows rows through POST /api/leads/imports (create mode), times
 *      it until GET /api/leads/imports/{id} says completed (target: 100,000 rows < 2 minutes);
 *   2. imports the same file again in update mode (every row matches: updates, no new lead);
 *   3. grows the organization to --export-leads leads and streams GET /api/leads/export, sampling
 *      the server's resident memory (target: < 100 MB growth at 1,000,000 leads).
 */

const log = (line: string) => console.log(`[bench:csv] ${line}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface Progress {
  id: string;
  status: string;
  processedRows: number;
  created: number;
  updated: number;
  failed: number;
}

function generateCsv(rows: number): string {
  const statuses = ["open", "qualified", "won", "lost"];
  const lines = ["name,email,phone,company,value,status,loss_reason"];
  for (let i = 0; i < rows; i++) {
    const status = statuses[i % 4]!;
    const phone = `+1 415 ${String(2000000 + i).slice(0, 3)} ${String(2000000 + i).slice(3)}`;
    lines.push(`Bench Lead ${i},bench.lead.${i}@import.example,${phone},"Company ${i % 997}, Inc.",${(i % 50_000) + 0.5},${status},${status === "lost" ? "Budget" : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

async function runImport(app: AppServer, apiKey: string, csv: string, mode: "create" | "update", rows: number): Promise<void> {
  const pids = processTree(app.process.pid ?? -1);
  const startRss = treeMemory(pids).rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, treeMemory(pids).rss)), 250);
  const started = Date.now();
  const response = await fetch(`${app.baseUrl}/api/leads/imports?mode=${mode}&fileName=bench.csv`, {
    method: "POST",
    headers: { "X-API-KEY": apiKey, "Content-Type": "text/csv" },
    body: csv,
  });
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  const { id } = ((await response.json()) as { data: Progress }).data;
  const uploaded = (Date.now() - started) / 1000;
  log(`${mode}: ${(csv.length / 1024 / 1024).toFixed(1)} MB uploaded and stored in ${uploaded.toFixed(1)}s`);
  let progress: Progress;
  let lastLog = 0;
  for (;;) {
    const reply = await fetch(`${app.baseUrl}/api/leads/imports/${id}`, { headers: { "X-API-KEY": apiKey } });
    progress = ((await reply.json()) as { data: Progress }).data;
    if (progress.status === "completed" || progress.status === "failed") break;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`  ${progress.processedRows.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows after ${((Date.now() - started) / 1000).toFixed(0)}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  log(
    `${mode}: ${rows.toLocaleString("en-US")} rows ${progress.status} in ${seconds.toFixed(1)}s (${(rows / seconds).toFixed(0)} rows/s): ` +
      `created ${progress.created}, updated ${progress.updated}, failed ${progress.failed}; server RSS ${mb(startRss)} -> peak ${mb(peak)}`,
  );
  if (mode === "create" && rows === 100_000) log(`  target: 100,000 rows in < 120 s: ${seconds < 120 ? "met" : "NOT MET"}`);
}

async function runExport(app: AppServer, apiKey: string, leads: number): Promise<void> {
  const pids = processTree(app.process.pid ?? -1);
  const startRss = treeMemory(pids).rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, treeMemory(pids).rss)), 100);
  const started = Date.now();
  const response = await fetch(`${app.baseUrl}/api/leads/export`, { headers: { "X-API-KEY": apiKey } });
  if (!response.body) throw new Error("no body");
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  clearInterval(sampler);
  const growth = peak - startRss;
  log(
    `export: ${(lines - 1).toLocaleString("en-US")} leads, ${mb(bytes)} of CSV in ${((Date.now() - started) / 1000).toFixed(1)}s; ` +
      `server RSS ${mb(startRss)} -> peak ${mb(peak)} (growth ${mb(growth)})`,
  );
  if (leads >= 1_000_000) log(`  target: RSS growth < 100 MB for 1,000,000 leads: ${growth < 100 * 1024 * 1024 ? "met" : "NOT MET"}`);
}

export async function runCsvBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: "string" }, "export-leads": { type: "string" } } });
  const rows = Number(values.rows ?? 100_000);
  const exportLeads = Number(values["export-leads"] ?? 0);
  log(`Machine: ${os.cpus().length} cores, Node ${process.version}; ${rows.toLocaleString("en-US")} rows to import`);
  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  let db: pg.Client | undefined;
  try {
    database = await startTempDatabase("leadline-bench-csv", "leadline_bench");
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const organization = await createOrganization(db);
    app = await startAppServer(database.url, { quiet: true });
    const csv = generateCsv(rows);
    await runImport(app, organization.apiKey, csv, "create", rows);
    await runImport(app, organization.apiKey, csv, "update", rows);
    const { rows: counted } = await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM "Lead"`);
    log(`leads after both imports: ${counted[0]?.count} (the update run created none)`);
    if (exportLeads > rows) {
      log(`Growing to ${exportLeads.toLocaleString("en-US")} leads for the export…`);
      await seedLeads({ databaseUrl: database.url, organizationId: organization.organizationId, from: rows, to: exportLeads, rebuildIndexes: true, parallel: 2, log });
    }
    await runExport(app, organization.apiKey, Math.max(rows, exportLeads));
  } finally {
    await db?.end().catch(() => undefined);
    await app?.stop();
    await database?.dispose();
  }
}
