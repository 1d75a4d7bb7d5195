import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { nextBin } from "./build";
import { freePort, waitForHttp } from "./http";

/**
 * A throw-away PostgreSQL under the system temp folder (reachable by the `postgres` user even
 * when the checkout is not) and a production `next start` on it. Used by the test runner and
 * the bench.
 */

export interface TempDatabase {
  url: string;
  dataDir: string;
  server: EmbeddedPostgresHandle;
  dispose: () => Promise<void>;
}

export async function startTempDatabase(name: string, database: string, options: { migrate?: boolean } = {}): Promise<TempDatabase> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, "pg");
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), database });
  if (options.migrate !== false) await applyMigrations(server.url);
  return {
    url: server.url,
    dataDir,
    server,
    dispose: async () => {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The app's settings for tests: webhooks may reach the test's local receivers, and retry after ~0.2 s. */
export const WEBHOOK_TEST_ENV: Partial<NodeJS.ProcessEnv> = { LEADLINE_WEBHOOKS_ALLOW_PRIVATE: "true", LEADLINE_WEBHOOK_RETRY_BASE_MS: "200" };

export interface AppServer {
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** What the server printed on stdout (its JSON log lines), when started with captureOutput. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function startAppServer(
  databaseUrl: string,
  options: { port?: number; env?: Record<string, string | undefined>; quiet?: boolean; captureOutput?: boolean; readyPath?: string } = {},
): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  // LEADLINE_BENCH_CPU_PROF_DIR: write a V8 CPU profile of the server there when it exits (the bench's "find out why").
  const profileDir = process.env.LEADLINE_BENCH_CPU_PROF_DIR;
  const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, nextBin(), "start", "-p", String(port)], {
    stdio: options.captureOutput ? ["ignore", "pipe", "inherit"] : options.quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
  });
  let exited = false;
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.on("exit", () => (exited = true));
  await waitForHttp(`${baseUrl}${options.readyPath ?? "/api/ready"}`, 60_000, () => !exited);
  return {
    baseUrl,
    port,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
