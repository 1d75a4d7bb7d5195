/**
 * Runs once when a Next.js server process starts. Starts this instance's background job workers
 * (pg-boss, in PostgreSQL): every instance runs them, and each job is fetched by one instance.
 * Not during `next build`, and not when LEADLINE_JOB_WORKERS=false.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  if (!env.LEADLINE_JOB_WORKERS) return;
  const { startJobWorkers } = await import("@/lib/jobs/workers");
  await startJobWorkers();
}
