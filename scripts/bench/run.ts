import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { env } from "@/lib/env";
import { freePort, waitForHttp } from "../lib/http";
import { run as runCommand } from "../lib/build";
import { explainListQueries, type ExplainedQuery } from "./explain";
import { seedHeavyLead, seedRareLeads, RARE_SEARCH_TERM, deepCursors } from "./extra-seed";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "../lib/test-environment";
import { bulkTargets, runBulkCases } from "./bulk";
import { runDashboardCase } from "./dashboard";
import { runLoad, type LoadResult } from "./load";
import { addCpu, postmasterPid, withCpu, type CpuGroups } from "./cpu";
import { startReceiver } from "./receiver";
import type { BenchOptions } from "./options";
import { createOrganization, FIRST, LAST, seedLeads, verifyNormalization } from "./seed";

const log = (line: string) => console.log(`[bench] ${line}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const fmtInt = (n: number) => n.toLocaleString("en-US");

type ServerName = "leadline" | "floor" | "baseline";
const SERVER_NAMES: ServerName[] = ["leadline", "floor", "baseline"];

interface Server {
  name: ServerName;
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

interface SampleLead {
  id: string;
  email: string;
  phone: string;
}

type CaseKey =
  | "patch-id"
  | "patch-email"
  | "patch-phone"
  | "list-first"
  | "list-value"
  | "list-rare"
  | "list-deep"
  | "lead-page"
  | "list-search"
  | "list-status";

interface Case {
  key: CaseKey;
  label: string;
  method: "GET" | "PATCH";
  path: string;
  next: () => { body?: string; path?: string };
  /** PATCH runs on Leadline, the framework floor and the raw baseline; the list cases on Leadline (their target is absolute). */
  servers: ServerName[];
}

interface CaseResult {
  key: CaseKey;
  label: string;
  results: Partial<Record<ServerName, LoadResult>>;
  /** PATCH cases: Leadline's req/s over the floor's in each round, the two measured back to back. */
  roundRatios?: number[];
  /** Tables PostgreSQL's autovacuum or autoanalyze worked on while the case ran. */
  overlappingAutovacuum?: string[];
}

const PATCH_ROUNDS = 4;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What the list cases need from the seeded data. */
interface ListFixtures {
  deepCursors: string[];
  heavyLeadId: string;
}

/** Waits until a server child process answers its health URL; the Server that stops it with SIGTERM. */
async function serverProcess(name: Server["name"], child: ChildProcess, url: string, timeoutMs: number): Promise<Server> {
  let exited = false;
  child.on("exit", () => (exited = true));
  await waitForHttp(`${url}/health`, timeoutMs, () => !exited);
  return {
    name,
    url,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function startBaseline(databaseUrl: string, poolSize: number): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join("scripts", "bench", "baseline-server.ts"), "--port", String(port), "--database-url", databaseUrl, "--pool", String(poolSize)],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  return serverProcess("baseline", child, `http://127.0.0.1:${port}`, 30_000);
}

const FLOOR_DIR = path.join("scripts", "bench", "floor");

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (path.basename(target).startsWith(".next")) return 0;
  return Math.max(0, ...fs.readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

/** `next build` of the floor app into scripts/bench/floor/.next-floor, when its sources (or the shared raw SQL) changed. */
function buildFloor(): void {
  const buildId = path.join(FLOOR_DIR, ".next-floor", "BUILD_ID");
  const sources = [FLOOR_DIR, path.join("scripts", "bench", "raw-patch.ts"), path.join("lib", "leads"), "package-lock.json"];
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  log("Building the framework floor (next build scripts/bench/floor)…");
  runCommand(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build", FLOOR_DIR], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
}

/** The framework floor: a bare Next.js route handler app (production build) running the raw baseline's PATCH SQL through pg. */
async function startFloor(databaseUrl: string, poolSize: number): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", FLOOR_DIR, "-p", String(port), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", FLOOR_DATABASE_URL: databaseUrl, FLOOR_DB_POOL_SIZE: String(poolSize) },
    },
  );
  return serverProcess("floor", child, `http://127.0.0.1:${port}`, 60_000);
}

/** Up to `limit` leads in random order with a phone (the seed's are unique; the list fixtures have none) and an e-mail of their own, so a PATCH by e-mail or phone matches one lead. */
async function sampleLeads(client: pg.ClientBase, limit: number): Promise<SampleLead[]> {
  const { rows } = await client.query<SampleLead>(
    `SELECT l."id", l."email", l."phone" FROM "Lead" l
     WHERE l."phoneNormalized" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "Lead" o WHERE o."emailNormalized" = l."emailNormalized" AND o."id" <> l."id")
     ORDER BY random() LIMIT $1`,
    [limit],
  );
  return rows;
}

const STATUSES = ["qualified", "won", "lost"] as const;
const SEARCH_PREFIXES = [...FIRST.slice(0, 10), ...LAST.slice(0, 10)].map((name) =>
  name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().slice(0, 4),
);

function buildCases(leads: SampleLead[], fixtures: ListFixtures | null): Case[] {
  let cursor = 0;
  let counter = 0;
  const patch = (by: "id" | "email" | "phone") => () => {
    const lead = leads[cursor++ % leads.length];
    if (!lead) throw new Error("no sample leads");
    const n = counter++;
    const status = STATUSES[n % STATUSES.length] ?? "won";
    const body = {
      [by]: lead[by],
      status,
      value: 1000 + (n % 50_000),
      note: `Bench call #${n}: spoke to the lead about the ${status} status.`,
      ...(status === "lost" ? { lossReason: "Chose a competitor" } : {}),
    };
    return { body: JSON.stringify(body) };
  };
  let search = 0;
  let deep = 0;
  const patchServers: ServerName[] = ["leadline", "floor", "baseline"];
  const cases: Case[] = [
    { key: "patch-id", label: "PATCH by id", method: "PATCH", path: "/api/leads", next: patch("id"), servers: patchServers },
    { key: "patch-email", label: "PATCH by e-mail", method: "PATCH", path: "/api/leads", next: patch("email"), servers: patchServers },
    { key: "patch-phone", label: "PATCH by phone", method: "PATCH", path: "/api/leads", next: patch("phone"), servers: patchServers },
  ];
  if (!fixtures) return cases;
  const get = (key: CaseKey, label: string, p: string, next: Case["next"] = () => ({})): Case => ({ key, label, method: "GET", path: p, next, servers: ["leadline"] });
  return [
    ...cases,
    get("list-first", "GET (default first page)", "/api/leads"),
    get("list-value", "GET ?sort=value:desc", "/api/leads?sort=value:desc"),
    get("list-rare", `GET ?search=${RARE_SEARCH_TERM} (5 leads)`, `/api/leads?search=${RARE_SEARCH_TERM}`),
    get("list-deep", "GET ?cursor=<after 10,000+ rows>", "/api/leads", () => ({
      path: `/api/leads?cursor=${fixtures.deepCursors[deep++ % fixtures.deepCursors.length]}`,
    })),
    get("lead-page", "GET /api/leads/{id} (10,000 events)", `/api/leads/${fixtures.heavyLeadId}`),
    get("list-search", "GET ?search=<prefix>&limit=50", "/api/leads", () => ({
      path: `/api/leads?search=${SEARCH_PREFIXES[search++ % SEARCH_PREFIXES.length]}&limit=50`,
    })),
    get("list-status", "GET ?status=won&page=200", "/api/leads?status=won&page=200"),
  ];
}

/**
 * Unmeasured load on every server before the first case: each PATCH case on each server, and the
 * leads list's shapes on Leadline, `serverWarmupSeconds` each. A 3 s warm-up per case was not
 * enough for Leadline: V8 optimises its larger request paths over tens of seconds of load (its CPU
 * per PATCH fell from 5.3 to 3.4 to 3.1 ms over three successive 13 s runs, the bare floor's route
 * much sooner), so whichever server had served least was measured at a disadvantage. Production
 * servers run for hours.
 */
async function warmUpServers(servers: Record<ServerName, Server>, sample: SampleLead[], options: BenchOptions, apiKey: string): Promise<void> {
  if (options.serverWarmupSeconds === 0) return;
  const started = Date.now();
  const warm = { ...options, durationSeconds: options.serverWarmupSeconds, warmupSeconds: 0 };
  for (const testCase of buildCases(sample, null)) {
    for (const name of testCase.servers) await measure(servers[name], testCase, warm, apiKey, true);
  }
  const lead = sample[0]?.id;
  const lists = ["/api/leads", "/api/leads?sort=value:desc", "/api/leads?search=garc&limit=50", "/api/leads?status=won&page=20", ...(lead ? [`/api/leads/${lead}`] : [])];
  for (const p of lists) {
    await measure(servers.leadline, { key: "list-first", label: "warm-up", method: "GET", path: p, next: () => ({}), servers: ["leadline"] }, warm, apiKey, true);
  }
  log(`Servers warmed up (${options.serverWarmupSeconds}s per case, not measured) in ${seconds(started)}`);
}

/** Autovacuum and autoanalyze runs so far, per table (PostgreSQL's own maintenance can overlap a case and slow it). */
async function autovacuumCounts(db: pg.Client): Promise<Map<string, number>> {
  const { rows } = await db.query<{ relname: string; runs: string }>(
    `SELECT relname, (autovacuum_count + autoanalyze_count)::text AS runs FROM pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.relname, Number(r.runs)]));
}

/** The tables autovacuum worked on since `before`, finished or still running. */
async function autovacuumsSince(db: pg.Client, before: Map<string, number>): Promise<string[]> {
  const after = await autovacuumCounts(db);
  const finished = [...after].filter(([table, runs]) => runs > (before.get(table) ?? 0)).map(([table]) => table);
  const { rows } = await db.query<{ relname: string }>(`SELECT relid::regclass::text AS relname FROM pg_stat_progress_vacuum`);
  return [...new Set([...finished, ...rows.map((r) => `${r.relname} (running)`)])];
}

/** With `cpuGroups`, the result carries the CPU ms each process group used during the measured load (not the warm-up). */
async function measure(
  server: Server,
  testCase: Case,
  options: BenchOptions,
  apiKey: string,
  silent = false,
  cpuGroups?: CpuGroups,
): Promise<LoadResult> {
  const load = (durationSeconds: number) =>
    runLoad({
      url: server.url,
      path: testCase.path,
      method: testCase.method,
      apiKey,
      connections: options.connections,
      durationSeconds,
      next: testCase.next,
      serverPid: server.pid,
    });
  if (options.warmupSeconds > 0) await load(options.warmupSeconds);
  let result: LoadResult;
  if (cpuGroups) {
    const measured = await withCpu(cpuGroups, () => load(options.durationSeconds));
    result = { ...measured.result, cpuMs: measured.cpuMs };
  } else {
    result = await load(options.durationSeconds);
  }
  if (silent) return result;
  log(
    `  ${testCase.label.padEnd(30)} ${server.name.padEnd(8)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(1)} ms` +
      `  p99 ${result.p99.toFixed(1)} ms  errors ${result.errors}` +
      (result.errors > 0 ? `  (status codes ${JSON.stringify(result.statusCodes)})` : ""),
  );
  return result;
}

/** Two rounds of one server on one case: requests and errors added, rates and percentiles averaged, peak memory the higher. */
function combineRounds(rounds: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) => rounds.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, rounds.length);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p95: mean((r) => r.p95),
    p99: mean((r) => r.p99),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    statusCodes,
    peakRssBytes: Math.max(0, ...rounds.map((r) => r.peakRssBytes)),
    ...(rounds.some((r) => r.cpuMs) ? { cpuMs: sumCpu(rounds) } : {}),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => (Number.isNaN(value) ? "-" : value.toFixed(1));
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : "-");

function printTable(results: CaseResult[]): void {
  const header = ["case", "server", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "peak RSS", "CPU ms/req: server", "postgres"];
  const cpuPer = (x: LoadResult, group: string) => (x.cpuMs && x.requests > 0 ? ((x.cpuMs[group] ?? 0) / x.requests).toFixed(2) : "");
  const rows: string[][] = [];
  for (const r of results) {
    let first = true;
    for (const name of SERVER_NAMES) {
      const x = r.results[name];
      if (!x) continue;
      rows.push([first ? r.label : "", name, x.rps.toFixed(0), ms(x.p50), ms(x.p95), ms(x.p99), String(x.errors), mb(x.peakRssBytes), cpuPer(x, "server"), cpuPer(x, "postgres")]);
      first = false;
    }
    const { leadline: a, floor: f, baseline: b } = r.results;
    if (a && f) rows.push(["", "Leadline/floor", ratio(a.rps, f.rps), ratio(a.p50, f.p50), ratio(a.p95, f.p95), ratio(a.p99, f.p99), "", ""]);
    if (f && b) rows.push(["", "floor/raw", ratio(f.rps, b.rps), ratio(f.p50, b.p50), ratio(f.p95, b.p95), ratio(f.p99, b.p99), "", ""]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log("");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  for (const r of results) {
    if (r.roundRatios) console.log(`${r.label}: Leadline/floor req/s per back-to-back round ${r.roundRatios.map((x) => x.toFixed(2)).join(", ")}; median ${median(r.roundRatios).toFixed(2)}x`);
  }
}

interface Target {
  met: boolean;
  text: string;
}

const LIST_CASES: CaseKey[] = ["list-first", "list-value", "list-rare", "list-deep", "lead-page", "list-search", "list-status"];

interface WebhookComparison {
  without: LoadResult;
  with: LoadResult;
  deliveries: { created: number; delivered: number; drainSeconds: number | null };
  /** CPU ms per PATCH of each process group (Leadline, PostgreSQL, receiver, the bench's load generator), without and with the endpoint. */
  cpuPerRequest: { without: Record<string, number>; with: Record<string, number> };
}

function sumCpu(results: LoadResult[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const r of results) if (r.cpuMs) addCpu(total, r.cpuMs);
  return total;
}

function perRequest(cpuMs: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, requests > 0 ? ms / requests : 0]));
}

function formatCpu(perPatch: Record<string, number>): string {
  const total = Object.values(perPatch).reduce((sum, ms) => sum + ms, 0);
  return `${Object.entries(perPatch).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(", ")}; total ${total.toFixed(2)} ms`;
}

/** Several runs of one case as one: requests and req/s summed over the time, the worst percentiles. */
function combine(results: LoadResult[]): LoadResult {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.requests / r.rps, 0);
  const worst = (pick: (r: LoadResult) => number) => Math.max(...results.map(pick));
  return {
    requests,
    rps: requests / seconds,
    p50: worst((r) => r.p50),
    p95: worst((r) => r.p95),
    p99: worst((r) => r.p99),
    errors: results.reduce((n, r) => n + r.errors, 0),
    statusCodes: {},
    peakRssBytes: worst((r) => r.peakRssBytes),
  };
}

async function deliveryCounts(db: pg.Client): Promise<{ created: number; delivered: number }> {
  const { rows } = await db.query<{ created: string; delivered: string }>(
    `SELECT count(*) AS created, count(*) FILTER (WHERE "status" = 'delivered') AS delivered FROM "WebhookDelivery" WHERE "endpointId" = 'wh_bench'`,
  );
  return { created: Number(rows[0]?.created ?? 0), delivered: Number(rows[0]?.delivered ?? 0) };
}

/**
 * Issue 13: PATCH by id with no webhook endpoint, then with one endpoint subscribed to every event
 * (a local receiver in its own process answering 204), on the same server, alternating twice.
 * Each PATCH sets a status, a value and a note: three events. Then waits (up to 2 minutes) until
 * every delivery is sent, and reports how long the backlog took to drain.
 */
async function measureWebhooks(
  leadline: Server,
  db: pg.Client,
  organizationId: string,
  sample: SampleLead[],
  options: BenchOptions,
  apiKey: string,
  dataDir: string,
): Promise<WebhookComparison> {
  const receiver = await startReceiver();
  try {
    // Where each PATCH's CPU goes, per process: the case runs alone, so the four groups are the whole machine's work.
    const cpuGroups: CpuGroups = { leadline: leadline.pid, postgres: postmasterPid(dataDir), receiver: receiver.pid, bench: process.pid };
    // The sample shifted by one: the table's PATCH cases already gave lead i the status and value
    // of request i; repeating them would change nothing and add a note only (one event, not three).
    const [patchById] = buildCases([...sample.slice(1), ...sample.slice(0, 1)], null).filter((c) => c.key === "patch-id");
    if (!patchById) throw new Error("no PATCH by id case");
    log("Webhooks: PATCH by id without, then with one endpoint subscribed to every event, twice (alternating evens out the server's drift)");
    await db.query(
      `INSERT INTO "WebhookEndpoint" ("id", "organizationId", "url", "events", "statuses", "secret", "updatedAt", "enabled")
       VALUES ('wh_bench', $1, $2, ARRAY['lead.created', 'lead.updated', 'lead.status_changed', 'lead.note_added'], '{}', 'whsec_bench', now(), false)`,
      [organizationId, receiver.url],
    );
    // Warm the delivery code as the PATCH code already is (a running server has sent webhooks before).
    await db.query(`UPDATE "WebhookEndpoint" SET "enabled" = true WHERE "id" = 'wh_bench'`);
    await measure(leadline, patchById, { ...options, durationSeconds: 10, warmupSeconds: 0 }, apiKey, true);
    for (let waited = 0; waited < 120_000; waited += 250) {
      const counts = await deliveryCounts(db);
      if (counts.delivered >= counts.created) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const received = await receiver.stats();
    const runs: { without: LoadResult[]; with: LoadResult[] } = { without: [], with: [] };
    const atEnd = { created: 0, delivered: 0 };
    let drainSeconds: number | null = 0;
    for (let pair = 1; pair <= 2; pair++) {
      await db.query(`UPDATE "WebhookEndpoint" SET "enabled" = false WHERE "id" = 'wh_bench'`);
      runs.without.push(await measure(leadline, { ...patchById, label: `PATCH by id, no webhook (${pair})` }, options, apiKey, false, cpuGroups));
      await db.query(`UPDATE "WebhookEndpoint" SET "enabled" = true WHERE "id" = 'wh_bench'`);
      const before = await deliveryCounts(db);
      runs.with.push(await measure(leadline, { ...patchById, label: `PATCH by id, 1 webhook (${pair})` }, options, apiKey, false, cpuGroups));
      // Every delivery is sent before the endpoint is disabled again for the next pair.
      const end = await deliveryCounts(db);
      atEnd.created += end.created - before.created;
      atEnd.delivered += end.delivered - before.delivered;
      const loadEnded = Date.now();
      let drained: number | null = null;
      while (Date.now() - loadEnded < 120_000) {
        const now = await deliveryCounts(db);
        if (now.delivered >= now.created) {
          drained = (Date.now() - loadEnded) / 1000;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      log(
        `  ${fmtInt(end.delivered - before.delivered)} of ${fmtInt(end.created - before.created)} deliveries sent when the load ended; ` +
          (drained === null ? "the rest were not all sent within 2 minutes" : `all sent ${drained.toFixed(1)} s later`),
      );
      drainSeconds = drained === null || drainSeconds === null ? null : Math.max(drainSeconds, drained);
    }
    const without = combine(runs.without);
    const withHook = combine(runs.with);
    await db.query(`UPDATE "WebhookEndpoint" SET "enabled" = false WHERE "id" = 'wh_bench'`);
    // The deliveries' work goes on after the load ends (the backlog): counted only while the load ran.
    const served = (results: LoadResult[]) => results.reduce((n, r) => n + r.requests, 0);
    const cpuPerRequest = { without: perRequest(sumCpu(runs.without), served(runs.without)), with: perRequest(sumCpu(runs.with), served(runs.with)) };
    const receivedAfter = await receiver.stats();
    // Sending reuses kept-alive connections: a connection per delivery would be CPU on both sides.
    log(
      `  The receiver got ${fmtInt(receivedAfter.deliveries - received.deliveries)} deliveries on ` +
        `${fmtInt(receivedAfter.connections - received.connections - 1)} new connections`,
    );
    log(`  CPU per PATCH without the endpoint: ${formatCpu(cpuPerRequest.without)}`);
    log(`  CPU per PATCH with the endpoint:    ${formatCpu(cpuPerRequest.with)}`);
    return { without, with: withHook, deliveries: { ...atEnd, drainSeconds }, cpuPerRequest };
  } finally {
    await receiver.stop();
  }
}

function webhookTarget(webhooks: WebhookComparison): Target {
  const ratio = webhooks.with.rps / webhooks.without.rps;
  const { created, delivered, drainSeconds } = webhooks.deliveries;
  return {
    met: ratio >= 0.9,
    text:
      `PATCH by id with one webhook endpoint subscribed to everything: ${webhooks.with.rps.toFixed(0)} vs ${webhooks.without.rps.toFixed(0)} req/s without, ${(100 * ratio).toFixed(0)}% (>= 90%); ` +
      `${fmtInt(delivered)} of ${fmtInt(created)} deliveries sent by the end of the run, ${drainSeconds === null ? "not all within 2 minutes after" : `all ${drainSeconds.toFixed(1)} s after`}`,
  };
}

/** `npm run bench -- --case webhooks`: the webhook comparison alone, on Leadline with `--leads` leads. */
export async function runWebhookBench(options: BenchOptions): Promise<void> {
  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  let db: pg.Client | undefined;
  try {
    database = await startTempDatabase("leadline-bench-webhooks", "leadline_bench");
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const organization = await createOrganization(db);
    await seedLeads({ databaseUrl: database.url, organizationId: organization.organizationId, from: 0, to: options.leads, rebuildIndexes: options.leads > 100_000, parallel: 2, log });
    app = await startAppServer(database.url, { quiet: true, env: { LEADLINE_WEBHOOKS_ALLOW_PRIVATE: "true" } });
    const leadline: Server = { name: "leadline", url: app.baseUrl, pid: app.process.pid ?? -1, stop: app.stop };
    const sample = await sampleLeads(db, Math.min(options.leads, 300_000));
    // A fresh server: the full bench reaches this case after minutes of load, so warm it up first.
    const [patchById] = buildCases(sample, null).filter((c) => c.key === "patch-id");
    if (patchById) await measure(leadline, patchById, { ...options, durationSeconds: 20, warmupSeconds: 0 }, organization.apiKey, true);
    const webhooks = await measureWebhooks(leadline, db, organization.organizationId, sample, options, organization.apiKey, database.dataDir);
    const target = webhookTarget(webhooks);
    console.log(`\nTarget\n  ${target.met ? "met    " : "NOT MET"}  ${target.text}`);
  } finally {
    await db?.end().catch(() => undefined);
    await app?.stop();
    await database?.dispose();
  }
}

function evaluateTargets(results: CaseResult[], options: BenchOptions, emailReferenceP50: number | null): Target[] {
  const get = (key: CaseKey) => results.find((r) => r.key === key);
  const targets: Target[] = [];
  const atSize = options.leads === 1_000_000 ? "" : ` (target is stated at 1,000,000 leads; this run has ${fmtInt(options.leads)})`;
  const byId = get("patch-id");
  const a = byId?.results.leadline;
  const f = byId?.results.floor;
  if (a && f) {
    // The median of the rounds' ratios (each round measures the two back to back); the ratio of the means beside it.
    const ratioOf = byId.roundRatios ? median(byId.roundRatios) : a.rps / f.rps;
    targets.push({
      met: ratioOf >= 0.85,
      text: `PATCH by id req/s is ${(100 * ratioOf).toFixed(0)}% of the framework floor's (median of ${byId.roundRatios?.length ?? 1} back-to-back rounds; means ${a.rps.toFixed(0)} vs ${f.rps.toFixed(0)}, ${((100 * a.rps) / f.rps).toFixed(0)}%; >= 85%)`,
    });
    targets.push({ met: a.p99 <= 1.3 * f.p99, text: `PATCH by id p99 is ${(a.p99 / f.p99).toFixed(2)}x the floor's (${ms(a.p99)} vs ${ms(f.p99)} ms; <= 1.3x)` });
  }
  const byEmail = get("patch-email")?.results.leadline;
  if (byEmail && emailReferenceP50 !== null) {
    const p50 = byEmail.p50;
    targets.push({
      met: p50 <= 1.5 * emailReferenceP50,
      text: `PATCH by e-mail p50 at ${fmtInt(options.leads)} leads is ${(p50 / emailReferenceP50).toFixed(2)}x the same at ${fmtInt(options.referenceLeads)} (${ms(p50)} vs ${ms(emailReferenceP50)} ms; <= 1.5x)${atSize}`,
    });
  }
  for (const key of LIST_CASES) {
    const r = get(key);
    const x = r?.results.leadline;
    const overlap = r?.overlappingAutovacuum?.length ? `; autovacuum overlapped it: ${r.overlappingAutovacuum.join(", ")}` : "";
    if (r && x) targets.push({ met: x.p95 < 150, text: `${r.label} p95 is ${ms(x.p95)} ms (< 150 ms${overlap})${atSize}` });
  }
  return targets;
}

export async function runBench(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const cpus = os.cpus();
  log(`Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${mb(os.totalmem())} RAM, Node ${process.version}`);
  log(
    `Leads: ${fmtInt(options.leads)}; ${options.connections} connections; ${options.warmupSeconds}s warm-up + ${options.durationSeconds}s per case and server; ` +
      `DB pool ${env.LEADLINE_DB_POOL_SIZE} per server; build folder ${env.LEADLINE_NEXT_DIST_DIR}`,
  );

  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  let baseline: Server | undefined;
  let floor: Server | undefined;
  let db: pg.Client | undefined;
  try {
    buildFloor();
    let phase = Date.now();
    database = await startTempDatabase("leadline-bench", "leadline_bench");
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    log(`Embedded PostgreSQL with migrations applied in ${seconds(phase)} (${database.dataDir})`);

    const organization = await createOrganization(db);
    const parallel = Math.max(1, Math.min(4, cpus.length));
    const firstBatch = Math.min(options.leads, options.referenceLeads);
    phase = Date.now();
    log(`Seeding ${fmtInt(firstBatch)} leads…`);
    await seedLeads({ databaseUrl: database.url, organizationId: organization.organizationId, from: 0, to: firstBatch, rebuildIndexes: false, parallel, log });
    log(`Seeded in ${seconds(phase)}`);

    phase = Date.now();
    // Webhooks go to the bench's own receiver on 127.0.0.1.
    app = await startAppServer(database.url, { quiet: true, env: { LEADLINE_WEBHOOKS_ALLOW_PRIVATE: "true" } });
    const leadline: Server = { name: "leadline", url: app.baseUrl, pid: app.process.pid ?? -1, stop: app.stop };
    baseline = await startBaseline(database.url, env.LEADLINE_DB_POOL_SIZE);
    floor = await startFloor(database.url, env.LEADLINE_DB_POOL_SIZE);
    log(`Leadline (next start) at ${leadline.url}, floor (bare Next.js route + pg) at ${floor.url}, baseline (node:http + pg) at ${baseline.url}, up in ${seconds(phase)}`);
    await warmUpServers({ leadline, floor, baseline }, await sampleLeads(db, firstBatch), options, organization.apiKey);

    let emailReferenceP50: number | null = null;
    if (options.leads > firstBatch) {
      log(`Reference: PATCH by e-mail on Leadline at ${fmtInt(firstBatch)} leads`);
      const [reference] = buildCases(await sampleLeads(db, firstBatch), null).filter((c) => c.key === "patch-email");
      if (reference) {
        // Without the servers' warm-up (--server-warmup 0), at least a few seconds: not a cold-JIT figure.
        if (options.serverWarmupSeconds === 0 && options.warmupSeconds > 0) await measure(leadline, reference, { ...options, durationSeconds: options.warmupSeconds, warmupSeconds: 0 }, organization.apiKey, true);
        emailReferenceP50 = (await measure(leadline, reference, options, organization.apiKey)).p50;
      }

      phase = Date.now();
      log(`Growing to ${fmtInt(options.leads)} leads (indexes dropped and rebuilt around the bulk insert)…`);
      await seedLeads({ databaseUrl: database.url, organizationId: organization.organizationId, from: firstBatch, to: options.leads, rebuildIndexes: true, parallel, log });
      log(`Seeded in ${seconds(phase)}`);
    }
    await verifyNormalization(db);

    phase = Date.now();
    await seedRareLeads(db, organization.organizationId);
    const heavyLeadId = await seedHeavyLead(db, organization.organizationId, 10_000);
    const fixtures: ListFixtures = { heavyLeadId, deepCursors: await deepCursors(db, organization.organizationId) };
    log(`5 leads for the rare search "${RARE_SEARCH_TERM}", a lead with 10,000 events and ${fixtures.deepCursors.length} deep cursors in ${seconds(phase)}`);

    phase = Date.now();
    const sample = await sampleLeads(db, Math.min(options.leads, 300_000));
    log(`${fmtInt(sample.length)} leads with an e-mail of their own sampled for the PATCH requests in ${seconds(phase)}`);

    const results: CaseResult[] = [];
    const servers: Record<ServerName, Server> = { leadline, floor, baseline };
    // Each server's own CPU and PostgreSQL's, per request: what a request costs where, whatever the throughput's noise.
    const postmaster = postmasterPid(database.dataDir);
    const cpuOf = (name: ServerName): CpuGroups => ({ server: servers[name].pid, postgres: postmaster });
    for (const testCase of buildCases(sample, fixtures)) {
      const result: CaseResult = { key: testCase.key, label: testCase.label, results: {} };
      if (testCase.servers.length === 1) {
        const before = await autovacuumCounts(db);
        for (const name of testCase.servers) result.results[name] = await measure(servers[name], testCase, options, organization.apiKey, false, cpuOf(name));
        const overlapping = await autovacuumsSince(db, before);
        if (overlapping.length > 0) {
          result.overlappingAutovacuum = overlapping;
          log(`    autovacuum/autoanalyze overlapped this case: ${overlapping.join(", ")}`);
        }
      } else {
        // The servers take turns, PATCH_ROUNDS rounds in alternating orders (Leadline, floor,
        // baseline, then back), a third of the duration each: whoever ran first after the seed's
        // CHECKPOINT used to pay alone for the database's first writes of each page (full-page
        // images in the WAL), and one server's CPU per request moves ±20-30% from round to round
        // on this machine. Leadline and the floor always run back to back, so each round gives
        // their ratio under one machine state; the target takes the median of those.
        const part = { ...options, durationSeconds: Math.max(1, Math.ceil(options.durationSeconds / 3)) };
        const rounds: Partial<Record<ServerName, LoadResult[]>> = {};
        for (let round = 0; round < PATCH_ROUNDS; round++) {
          const order = round % 2 === 0 ? testCase.servers : [...testCase.servers].reverse();
          for (const name of order) (rounds[name] ??= []).push(await measure(servers[name], testCase, part, organization.apiKey, false, cpuOf(name)));
        }
        const { leadline: l, floor: f } = rounds;
        if (l && f) result.roundRatios = l.map((x, i) => x.rps / (f[i]?.rps ?? Number.NaN));
        for (const name of testCase.servers) result.results[name] = combineRounds(rounds[name] ?? []);
      }
      results.push(result);
    }

    phase = Date.now();
    const plans: ExplainedQuery[] = await explainListQueries(db, organization.organizationId, { rareTerm: RARE_SEARCH_TERM, heavyLeadId, deepCursor: fixtures.deepCursors[0] ?? null });
    log(`EXPLAIN (ANALYZE, BUFFERS) of ${plans.length} list and history queries in ${seconds(phase)}`);

    const webhooks = await measureWebhooks(leadline, db, organization.organizationId, sample, options, organization.apiKey, database.dataDir);

    log("Bulk: one PATCH per size, alone, in an organization of its own");
    const bulk = await runBulkCases(db, leadline.url, log);

    printTable(results);
    console.log("\nPlans (EXPLAIN ANALYZE, BUFFERS; key lines)");
    for (const plan of plans) {
      console.log(`  ${plan.label}`);
      for (const keyLine of plan.keyLines) console.log(`      ${keyLine}`);
    }
    const targets = [...evaluateTargets(results, options, emailReferenceP50), ...bulkTargets(bulk)];
    // The dashboard's server work (issue 11), a case of its own: scripts/bench/dashboard.ts.
    const dashboard = await runDashboardCase({ databaseUrl: database.url, organizationId: organization.organizationId, leads: options.leads, log });
    const atMillion = options.leads === 1_000_000 ? "" : ` (target is stated at 1,000,000 leads; this run has ${fmtInt(options.leads)})`;
    for (const d of dashboard) targets.push({ met: d.met, text: `dashboard (${d.period}) server work max ${d.max.toFixed(1)} ms (< 300 ms)${atMillion}` });
    targets.push(webhookTarget(webhooks));
    console.log("\nTargets");
    for (const t of targets) console.log(`  ${t.met ? "met    " : "NOT MET"}  ${t.text}`);
    if (options.leads <= options.referenceLeads) {
      console.log(`  (PATCH by e-mail at 1M vs 10k: run \`npm run bench -- --leads 1000000\`; it measures its own ${fmtInt(options.referenceLeads)}-lead reference first)`);
    }
    const errors = results.reduce((sum, r) => sum + Object.values(r.results).reduce((n, x) => n + x.errors, 0), 0);
    if (errors > 0) console.log(`\n  ${errors} requests failed (non-2xx or connection errors); the figures above are not trustworthy.`);
    console.log(`\nTotal time ${seconds(started)}`);

    const dir = path.join(process.cwd(), "bench-results");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${options.leads}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({ options, machine: { cores: cpus.length, cpu: cpus[0]?.model, node: process.version }, emailReferenceP50, results, webhooks, targets, plans, totalSeconds: (Date.now() - started) / 1000 }, null, 2),
    );
    log(`Results saved to ${path.relative(process.cwd(), file)}`);
  } finally {
    await db?.end().catch(() => undefined);
    await baseline?.stop();
    await floor?.stop();
    await app?.stop();
    await database?.dispose();
  }
}
