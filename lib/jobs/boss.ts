import "server-only";
import PgBoss from "pg-boss";
import { databaseUrl } from "@/lib/db/client";
import { logger } from "@/lib/log";

/**
 * The process's pg-boss instance: jobs live in PostgreSQL (schema `pgboss`), so they survive a
 * restart and several app instances share one queue, each job fetched by one instance
 * (`FOR UPDATE SKIP LOCKED`). Started on first use; the app's workers are registered by
 * `startJobWorkers` (lib/jobs/workers.ts) from instrumentation.ts.
 */
const globalForBoss = globalThis as unknown as { leadlineBoss?: Promise<PgBoss> };

async function startBoss(): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl(), schema: "pgboss", max: 4, application_name: "leadline-jobs" });
  // pg-boss reports connection trouble here; without a listener Node would crash the process.
  boss.on("error", (error) => logger.warn({ err: error }, "pg-boss error"));
  await boss.start();
  return boss;
}

export function getBoss(): Promise<PgBoss> {
  globalForBoss.leadlineBoss ??= startBoss().catch((error: unknown) => {
    globalForBoss.leadlineBoss = undefined;
    throw error;
  });
  return globalForBoss.leadlineBoss;
}

/** Stops fetching new jobs, waits up to `timeoutMs` for running ones, and closes the queue's pool. */
export async function stopBoss(timeoutMs = 25_000): Promise<void> {
  const pending = globalForBoss.leadlineBoss;
  globalForBoss.leadlineBoss = undefined;
  if (!pending) return;
  const boss = await pending.catch(() => undefined);
  await boss?.stop({ graceful: true, wait: true, timeout: timeoutMs });
}
