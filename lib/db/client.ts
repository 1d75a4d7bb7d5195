import "server-only";
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { parseUtcTimestamp, toIsoString } from "@/lib/iso-time";
import { logger } from "@/lib/log";

/**
 * The one Prisma client of a process. Secret columns are omitted unless a query asks for them.
 * In development, Next.js reloads modules; the client is kept on globalThis so reloads do not
 * open new pools.
 */
let databaseUrlOverride: string | undefined;

/**
 * For Node scripts (start, admin CLI, tests, bench) that resolve the database at run time, e.g.
 * by starting the embedded PostgreSQL. Must be called before the first query.
 */
export function setDatabaseUrl(url: string): void {
  databaseUrlOverride = url;
}

/** The connection string of this process's database; shared by Prisma and the job queue. */
export function databaseUrl(): string {
  const connectionString = databaseUrlOverride ?? env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start Leadline with `npm start` (it runs the embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return connectionString;
}

/**
 * An idle connection that PostgreSQL closes (a restart, a failover, an administrator) makes the
 * pool emit "error"; without a listener that is an uncaught exception. The pool has already
 * dropped the connection and opens a new one on demand, so a warning is all it takes.
 */
export function logIdleConnectionErrors(pool: pg.Pool, name: string): pg.Pool {
  // Not the error itself: pg-pool attaches the whole client (connection parameters) to it.
  pool.on("error", (error: Error & { code?: unknown }) =>
    logger.warn({ pool: name, code: error.code, reason: error.message }, "An idle database connection was closed; the pool replaces it"),
  );
  return pool;
}

/** The process's one connection pool: Prisma's adapter runs on it, and so do the SQL stores (rawQuery, lib/db/sql-tx). */
function createPool(): pg.Pool {
  return logIdleConnectionErrors(new pg.Pool({ connectionString: databaseUrl(), max: env.LEADLINE_DB_POOL_SIZE }), "app");
}

function createPrismaClient(pool: pg.Pool): PrismaClient {
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiKey: { hashedKey: true } },
  });
}

const globalForPrisma = globalThis as unknown as { leadlinePrisma?: PrismaClient; leadlinePool?: pg.Pool };

function getPrismaClient(): PrismaClient {
  if (!globalForPrisma.leadlinePrisma) {
    globalForPrisma.leadlinePool = createPool();
    globalForPrisma.leadlinePrisma = createPrismaClient(globalForPrisma.leadlinePool);
  }
  return globalForPrisma.leadlinePrisma;
}

/** The process's one pool (opened with the Prisma client): for the SQL stores' own statements and transactions. */
export function databasePool(): pg.Pool {
  getPrismaClient();
  const pool = globalForPrisma.leadlinePool;
  if (!pool) throw new Error("The database pool is not open");
  return pool;
}

/**
 * How the SQL stores read and send values with `pg`, the same way Prisma does: the schema's
 * `timestamp(3)` columns hold UTC without a time zone, so they are parsed as UTC (pg's default
 * reads them as the process's local time), and a Date parameter is sent as its UTC ISO text
 * (pg's default sends local time with an offset, which a cast to `timestamp` would drop).
 */
const TIMESTAMP_OID = 1114;
export const SQL_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary" ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};
const toSqlValue = (value: unknown): unknown => (value instanceof Date ? toIsoString(value) : Array.isArray(value) ? value.map(toSqlValue) : value);

/**
 * Named (prepared) statements: PostgreSQL parses a statement once per connection instead of on
 * every call, and after five runs it may keep one generic plan for it instead of planning each
 * run (run V in docs/performance.md: PATCH by id went from 78-82% of the framework floor to 92%).
 * The write transactions (lib/db/sql-tx) ask for the generic plan from the first run. The name is
 * a hash of the text, so the server layers that Next.js bundles apart, which share the pool, agree
 * on it. Only statements with parameters (already sent with the extended protocol, so one
 * statement each) are named, and at most MAX_NAMED distinct texts per process: a statement built
 * with a varying number of parameters stays unnamed once the budget is spent.
 * LEADLINE_DB_PREPARED_STATEMENTS=false sends them unnamed (a pooler that cannot keep them).
 */
const MAX_NAMED = 1_000;
const globalForStatements = globalThis as unknown as { leadlineStatementNames?: Map<string, string> };
const statementNames = (globalForStatements.leadlineStatementNames ??= new Map());

export function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `leadline_${createHash("sha1").update(text).digest("hex").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

export interface StatementOptions {
  /**
   * Plan this statement for each run's values: it is sent unnamed, and PostgreSQL plans an
   * unnamed statement for the values it runs with, every time. For the reads whose best plan
   * depends on the values (the lists' filters and search terms, one lead's history of 10 or
   * 10,000 events), where one generic plan reads far more for some values: with generic plans the
   * lead page of a lead with 10,000 events doubled its database CPU. Lookups by a key (a lead by
   * id, an API key by its hash) and writes keep their names and may use a generic plan.
   */
  planEachRun?: boolean;
}

/** A statement as the SQL stores send it: named (prepared) when it has parameters (unless planned each run), values converted and result types parsed as above. */
export function sqlStatement(text: string, values: readonly unknown[], options: StatementOptions = {}): pg.QueryConfig {
  const name = values.length > 0 && !options.planEachRun && env.LEADLINE_DB_PREPARED_STATEMENTS ? statementName(text) : undefined;
  return { text, values: values.map(toSqlValue), types: SQL_TYPES, ...(name === undefined ? {} : { name }) };
}

/**
 * One statement on the shared pool, without Prisma's per-call machinery: for reads that run on
 * every request (the key lookup, the lists), where that machinery is much of the cost. Not in a
 * transaction (see lib/db/sql-tx for those).
 */
export async function rawQuery<T extends pg.QueryResultRow>(text: string, values: readonly unknown[], options?: StatementOptions): Promise<T[]> {
  return (await databasePool().query<T>(sqlStatement(text, values, options))).rows;
}

/** rawQuery of a statement built with `Prisma.sql` (its `$n` text and its values, as they are). */
export function rawSql<T extends object>(statement: { text: string; values: readonly unknown[] }, options?: StatementOptions): Promise<T[]> {
  return rawQuery<T & pg.QueryResultRow>(statement.text, statement.values, options);
}

/**
 * Created on first use rather than at import, so that `next build` can load route modules
 * without a database.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrismaClient();
    const value: unknown = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Closes the Prisma client and with it the pool (disposeExternalPool). */
export async function disconnectPrisma(): Promise<void> {
  const client = globalForPrisma.leadlinePrisma;
  const pool = globalForPrisma.leadlinePool;
  globalForPrisma.leadlinePrisma = undefined;
  globalForPrisma.leadlinePool = undefined;
  await client?.$disconnect();
  // A client that never connected does not dispose of its adapter's pool.
  if (pool && !pool.ended) await pool.end();
}

export type TransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
