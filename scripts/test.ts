/**
 * `npm test`: the whole suite on a clean, throw-away embedded PostgreSQL.
 *   1. unit and integration tests (Vitest) and HTTP tests against the production build;
 *   2. browser tests (Playwright, Debian's Chromium) against the same build.
 * Options: --skip-build (reuse .next), --only=vitest|e2e, anything after `--` goes to the runner.
 */
import "./lib/server-side";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildApp, generatePrismaClient } from "./lib/build";
import type { AppServer, TempDatabase } from "./lib/test-environment";

generatePrismaClient();
const { setDatabaseUrl, disconnectPrisma } = await import("@/lib/db/client");
const { seedDemo } = await import("@/lib/demo/seed-demo");
const { startAppServer, startTempDatabase, WEBHOOK_TEST_ENV } = await import("./lib/test-environment");

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { "skip-build": { type: "boolean" }, only: { type: "string" } },
  allowPositionals: true,
});
const only = values.only;
if (only !== undefined && only !== "vitest" && only !== "e2e") {
  console.error("--only must be vitest or e2e");
  process.exit(2);
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const log = (line: string) => console.log(`[test] ${line}`);

async function main(): Promise<number> {
  if (!values["skip-build"]) buildApp();
  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  try {
    log("Starting a clean embedded PostgreSQL under the temp folder…");
    database = await startTempDatabase("leadline-test", "leadline_test");
    setDatabaseUrl(database.url);
    await seedDemo();
    await disconnectPrisma();
    // Behind a trusted proxy as far as per-IP limits go: the sign-in limit tests act as many
    // clients through X-Forwarded-For, and never lock 127.0.0.1 out for the rest of the suite.
    // A lower per-user limit than the default 600/min, so its test reaches it quickly.
    // Webhook tests deliver to receivers on 127.0.0.1 and retry quickly.
    app = await startAppServer(database.url, {
      quiet: true,
      env: { ...process.env, ...WEBHOOK_TEST_ENV, LEADLINE_TRUST_PROXY: "true", LEADLINE_RATE_LIMIT_USER_PER_MINUTE: "200" },
    });
    log(`App (production build) at ${app.baseUrl}`);

    const env = { ...process.env, DATABASE_URL: database.url, LEADLINE_TEST_BASE_URL: app.baseUrl, NEXT_TELEMETRY_DISABLED: "1" };
    let failed = false;
    if (only !== "e2e") {
      log("Vitest: unit, integration and HTTP tests");
      // Both halves always run, so one failing half does not hide the other's results.
      if (spawnSync(bin("vitest"), ["run", ...positionals], { stdio: "inherit", env }).status !== 0) failed = true;
    }
    if (only !== "vitest") {
      log("Playwright: browser tests in Chromium");
      // The fixtures create data through the services, whose modules are guarded by "server-only".
      const nodeOptions = [process.env.NODE_OPTIONS, "--conditions=react-server"].filter(Boolean).join(" ");
      if (spawnSync(bin("playwright"), ["test", ...positionals], { stdio: "inherit", env: { ...env, NODE_OPTIONS: nodeOptions } }).status !== 0) failed = true;
    }
    return failed ? 1 : 0;
  } finally {
    await app?.stop();
    await database?.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
