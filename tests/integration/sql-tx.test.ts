import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { databasePool, databaseUrl, rawQuery, sqlStatement, statementName } from "@/lib/db/client";
import { isRetryableTransactionError, sqlTransaction } from "@/lib/db/sql-tx";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** lib/db/sql-tx and rawQuery: the SQL stores' own transactions and reads on `pg`. */

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

it("reads and writes timestamp(3) columns as UTC whatever the process's time zone", async () => {
  process.env.TZ = "America/New_York";
  const instant = new Date("2026-06-01T12:34:56.789Z");
  const [row] = await rawQuery<{ sent: Date; stored: Date; text: string }>(
    `SELECT $1::timestamp(3) AS "sent", '2026-01-02 03:04:05.678'::timestamp(3) AS "stored", $1::timestamp(3)::text AS "text"`,
    [instant],
  );
  expect(row?.sent.toISOString()).toBe(instant.toISOString());
  expect(row?.text).toBe("2026-06-01 12:34:56.789");
  expect(row?.stored.toISOString()).toBe("2026-01-02T03:04:05.678Z");
});

it("commits what the work wrote, and rolls everything back when it throws", async () => {
  await rawQuery(`CREATE TABLE IF NOT EXISTS "SqlTxProbe" ("id" text PRIMARY KEY)`, []);
  await sqlTransaction(async (tx) => {
    expect(await tx.execute(`INSERT INTO "SqlTxProbe" ("id") VALUES ($1), ($2)`, ["kept-1", "kept-2"])).toBe(2);
  });
  await expect(
    sqlTransaction(async (tx) => {
      await tx.execute(`INSERT INTO "SqlTxProbe" ("id") VALUES ($1)`, ["rolled-back"]);
      throw new Error("refused");
    }),
  ).rejects.toThrow("refused");
  const ids = (await rawQuery<{ id: string }>(`SELECT "id" FROM "SqlTxProbe" ORDER BY "id"`, [])).map((r) => r.id);
  expect(ids).toEqual(["kept-1", "kept-2"]);
  await rawQuery(`DROP TABLE "SqlTxProbe"`, []);
});

it("stops a transaction that overruns its allowance, and gives the connection back", async () => {
  const started = Date.now();
  await expect(sqlTransaction((tx) => tx.query("SELECT pg_sleep(5)"), { timeoutMs: 300 })).rejects.toMatchObject({ code: "57014" });
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(await sqlTransaction((tx) => tx.query<{ one: number }>("SELECT 1 AS one"))).toEqual([{ one: 1 }]);
});

it("answers 503 when no connection frees up within maxWait, and runs once one does", async () => {
  const pool = databasePool();
  const max = pool.options.max ?? 10;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const holders = Array.from({ length: max }, () => sqlTransaction(() => gate));
  await expect.poll(() => pool.totalCount - pool.idleCount).toBe(max);
  const refused = await sqlTransaction(() => Promise.resolve("ran"), { maxWaitMs: 200 }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(AppError);
  expect((refused as AppError).code).toBe("SERVICE_UNAVAILABLE");
  open();
  await Promise.all(holders);
  expect(await sqlTransaction(() => Promise.resolve("ran"))).toBe("ran");
});

it("treats serialization failures and deadlocks as retryable, and nothing else", () => {
  expect(isRetryableTransactionError(Object.assign(new Error("deadlock"), { code: "40P01" }))).toBe(true);
  expect(isRetryableTransactionError(Object.assign(new Error("serialization"), { code: "40001" }))).toBe(true);
  expect(isRetryableTransactionError(Object.assign(new Error("unique"), { code: "23505" }))).toBe(false);
  expect(isRetryableTransactionError(new Error("plain"))).toBe(false);
});

it("survives PostgreSQL closing an idle connection of the pool, and opens another", async () => {
  const pool = databasePool();
  const [row] = await rawQuery<{ pid: number }>("SELECT pg_backend_pid() AS pid", []);
  expect(pool.idleCount).toBeGreaterThan(0);
  const other = new pg.Client({ connectionString: databaseUrl() });
  await other.connect();
  try {
    // Without a listener, the pool's "error" event for this idle connection is an uncaught exception.
    await other.query("SELECT pg_terminate_backend($1)", [row?.pid]);
  } finally {
    await other.end();
  }
  await expect.poll(async () => (await rawQuery<{ pid: number }>("SELECT pg_backend_pid() AS pid", []))[0]?.pid !== row?.pid).toBe(true);
  expect(await rawQuery<{ one: number }>("SELECT 1 AS one", [])).toEqual([{ one: 1 }]);
});

it("prepares a statement with parameters once per connection, under a name shared by every copy of the module", async () => {
  const text = `SELECT $1::int + 1 AS "next" /* prepared-statement probe */`;
  const prepared = await sqlTransaction(async (tx) => {
    expect(await tx.query<{ next: number }>(text, [1])).toEqual([{ next: 2 }]);
    expect(await tx.query<{ next: number }>(text, [41])).toEqual([{ next: 42 }]);
    return tx.query<{ name: string; statement: string }>(`SELECT "name", "statement" FROM pg_prepared_statements WHERE "statement" = $1`, [text]);
  });
  expect(prepared).toEqual([{ name: statementName(text), statement: text }]);
  expect(statementName(text)).toMatch(/^leadline_[0-9a-f]{32}$/);
  expect(statementName(`${text} `)).not.toBe(statementName(text));
  // Without parameters a statement is not named (it may hold several statements).
  expect(sqlStatement("SELECT 1; SELECT 2", [])).not.toHaveProperty("name");
});

it("sends every statement unnamed with LEADLINE_DB_PREPARED_STATEMENTS=false (a pooler that cannot keep them)", () => {
  expect(sqlStatement("SELECT $1::int", [1])).toHaveProperty("name");
  const settings = env as { LEADLINE_DB_PREPARED_STATEMENTS: boolean };
  settings.LEADLINE_DB_PREPARED_STATEMENTS = false;
  try {
    expect(sqlStatement("SELECT $1::int", [1])).not.toHaveProperty("name");
    expect(sqlStatement("SELECT $1::int", [1], { planEachRun: true })).not.toHaveProperty("name");
  } finally {
    settings.LEADLINE_DB_PREPARED_STATEMENTS = true;
  }
});
