import "server-only";
import type pg from "pg";
import { AppError, postgresErrorCode, RETRY_AFTER_SECONDS } from "@/lib/errors";
import { databasePool, sqlStatement } from "./client";

/**
 * A transaction of the SQL stores (leads, the webhook outbox, loss-reason lookups, import
 * outcomes): statements on one `pg` connection between BEGIN and COMMIT, without Prisma's
 * per-call machinery, which was most of a PATCH's CPU in the server (docs/performance.md).
 */
export interface SqlTx {
  /** The rows of one statement. */
  query<T extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** The number of rows one statement wrote. */
  execute(text: string, values?: readonly unknown[]): Promise<number>;
}

export interface SqlTransactionOptions {
  /** The whole transaction's allowance: no statement runs past it, and it does not commit after it. Default 30 s. */
  timeoutMs?: number;
  /** How long to wait for a connection of the pool. Default 15 s, then 503. */
  maxWaitMs?: number;
}

/** SQLSTATEs of a transaction that lost a race and may simply run again: serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

export function isRetryableTransactionError(error: unknown): boolean {
  const code = postgresErrorCode(error);
  return code !== undefined && RETRYABLE.has(code);
}

async function connect(pool: pg.Pool, maxWaitMs: number): Promise<pg.PoolClient> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const connecting = pool.connect();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new AppError("SERVICE_UNAVAILABLE", "The database is busy; retry shortly", { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    }, maxWaitMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
    // A connection that arrives after the wait gave up goes straight back.
    if (timedOut) connecting.then((client) => client.release(), () => undefined);
  }
}

/**
 * Runs `work` in one transaction on a connection of the process's pool: COMMIT when it resolves,
 * ROLLBACK when it throws (the error is rethrown). A connection whose ROLLBACK failed is closed,
 * never given back. Retrying is the caller's choice (isRetryableTransactionError).
 */
export async function sqlTransaction<T>(work: (tx: SqlTx) => Promise<T>, options: SqlTransactionOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = await connect(databasePool(), options.maxWaitMs ?? 15_000);
  const deadline = Date.now() + timeoutMs;
  const checkDeadline = () => {
    if (Date.now() > deadline) throw new Error(`The transaction took longer than its ${timeoutMs} ms and was rolled back`);
  };
  const tx: SqlTx = {
    async query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []) {
      checkDeadline();
      return (await client.query<R>(sqlStatement(text, values))).rows;
    },
    async execute(text: string, values: readonly unknown[] = []) {
      checkDeadline();
      return (await client.query(sqlStatement(text, values))).rowCount ?? 0;
    },
  };
  let broken: Error | undefined;
  // A connection lost between two statements emits "error" on the client (no query to reject):
  // keep it, so the connection is closed rather than given back, and the next statement fails.
  const onError = (error: Error) => (broken = error);
  client.on("error", onError);
  try {
    // One round trip: the statement timeout makes PostgreSQL stop a statement that would overrun.
    // The stores' writes look rows up by key and take their values as arrays (unnest): for those,
    // PostgreSQL would plan every run, since a generic plan assumes 100 elements where a run has 3
    // and so always looks dearer; one generic plan, made once per connection, serves them all.
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}; SET LOCAL plan_cache_mode = force_generic_plan`);
    const result = await work(tx);
    checkDeadline();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
