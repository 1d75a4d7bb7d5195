/**
 * Runs once when a Next.js server process starts, before it serves requests:
 * - installs the graceful shutdown on SIGTERM (lib/server/shutdown.ts);
 * - applies pending migrations when LEADLINE_MIGRATE_ON_START=true (the container image): under a
 *   PostgreSQL advisory lock, so instances starting together apply each migration once;
 * - starts this instance's background job workers (pg-boss, in PostgreSQL): every instance runs
 *   them, and each job is fetched by one instance. Not when LEADLINE_JOB_WORKERS=false.
 * Nothing of this runs during `next build`.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  const { installGracefulShutdown } = await import("@/lib/server/shutdown");
  installGracefulShutdown();
  if (env.LEADLINE_MIGRATE_ON_START) {
    const { migrateOnStart } = await import("@/lib/server/startup");
    await migrateOnStart();
  }
  if (!env.LEADLINE_JOB_WORKERS) return;
  const { startJobWorkers } = await import("@/lib/jobs/workers");
  await startJobWorkers();
}
