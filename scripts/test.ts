/**
 * `npm test`: the whole suite on a clean, throw-away embedded PostgreSQL.
 *   1. unit and integration tests (Vitest) and HTTP tests against the production build;
 *   2. browser tests (Playwright, Debian's Chromium) against the same build.
 * Options: --skip-build (reuse .next), --only=vitest|e2e, anything after `--` goes to the runner.
 */
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
    // Webhook tests deliver to receivers on 127.0.0.1 and retry quickly.
    app = await startAppServer(database.url, { quiet: true, env: WEBHOOK_TEST_ENV });
    log(`App (production build) at ${app.baseUrl}`);

    const env = { ...process.env, DATABASE_URL: database.url, LEADLINE_TEST_BASE_URL: app.baseUrl, NEXT_TELEMETRY_DISABLED: "1" };
    let failed = false;
    if (only !== "e2e") {
      log("Vitest: unit, integration and HTTP tests");
      failed ||= spawnSync(bin("vitest"), ["run", ...positionals], { stdio: "inherit", env }).status !== 0;
    }
    if (only !== "vitest") {
      log("Playwright: browser tests in Chromium");
      failed ||= spawnSync(bin("playwright"), ["test", ...positionals], { stdio: "inherit", env }).status !== 0;
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
