import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "../lib/test-environment";
import { runLoad, type LoadResult } from "./load";
import type { BenchOptions } from "./options";
import { createOrganization, seedLeads } from "./seed";

/**
 * `npm run bench -- --case signin-load` (issue 8): GET /api/leads p50 while idle, then while 10
 * loops guess passwords as fast as they can. Every guess uses a new e-mail and a new client IP
 * (the app trusts X-Forwarded-For here), so no sign-in limit stops them and every guess costs a
 * full password hash: the worst case for the event loop. Target: p50 under load within 2x idle.
 */

const log = (line: string) => console.log(`[bench] ${line}`);
const LOOPS = 10;

interface SignInLoops {
  stop: () => Promise<{ attempts: number; statuses: Record<string, number> }>;
}

function startWrongPasswordLoops(baseUrl: string): SignInLoops {
  let running = true;
  let attempts = 0;
  const statuses: Record<string, number> = {};
  const loop = async () => {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    while (running) {
      const ip = `10.${randomBytes(3).join(".")}`;
      const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "X-Forwarded-For": ip },
        body: new URLSearchParams({ csrfToken, email: `guess-${randomBytes(6).toString("hex")}@example.com`, password: randomBytes(8).toString("hex"), json: "true" }),
      }).catch(() => null);
      await response?.arrayBuffer();
      attempts++;
      const key = String(response?.status ?? "error");
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  const loops = Array.from({ length: LOOPS }, loop);
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { attempts, statuses };
    },
  };
}

export async function runSignInLoad(options: BenchOptions): Promise<void> {
  const cpus = os.cpus();
  log(`Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}`);
  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  try {
    database = await startTempDatabase("leadline-bench-signin", "leadline_bench");
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const organization = await createOrganization(db);
    await db.end();
    const leads = Math.min(options.leads, 10_000);
    await seedLeads({ databaseUrl: database.url, organizationId: organization.organizationId, from: 0, to: leads, rebuildIndexes: false, parallel: 2, log });
    app = await startAppServer(database.url, { quiet: true, env: { ...process.env, LEADLINE_TRUST_PROXY: "true" } });
    log(`Leadline at ${app.baseUrl}, ${leads} leads; GET /api/leads?limit=50 with ${Math.min(options.connections, 4)} connections`);

    const measure = (durationSeconds: number): Promise<LoadResult> =>
      runLoad({
        url: app!.baseUrl,
        path: "/api/leads?limit=50",
        method: "GET",
        apiKey: organization.apiKey,
        connections: Math.min(options.connections, 4),
        durationSeconds,
        next: () => ({}),
        serverPid: app!.process.pid ?? -1,
      });
    if (options.warmupSeconds > 0) await measure(options.warmupSeconds);
    const idle = await measure(options.durationSeconds);

    const loops = startWrongPasswordLoops(app.baseUrl);
    if (options.warmupSeconds > 0) await measure(options.warmupSeconds);
    const loaded = await measure(options.durationSeconds);
    const { attempts, statuses } = await loops.stop();

    const ratio = loaded.p50 / idle.p50;
    console.log("");
    console.log(`GET /api/leads p50 idle:                          ${idle.p50.toFixed(1)} ms  (p99 ${idle.p99.toFixed(1)} ms, ${idle.rps.toFixed(0)} req/s, errors ${idle.errors})`);
    console.log(`GET /api/leads p50 with ${LOOPS} wrong-password loops: ${loaded.p50.toFixed(1)} ms  (p99 ${loaded.p99.toFixed(1)} ms, ${loaded.rps.toFixed(0)} req/s, errors ${loaded.errors})`);
    console.log(`Sign-in guesses meanwhile: ${attempts} (${JSON.stringify(statuses)})`);
    console.log(`\nTarget\n  ${ratio <= 2 ? "met    " : "NOT MET"}  p50 under sign-in load is ${ratio.toFixed(2)}x the idle p50 (<= 2x)`);
  } finally {
    await app?.stop();
    await database?.dispose();
  }
}
