import "server-only";
import { prisma } from "@/lib/db/client";
import { getBoss } from "@/lib/jobs/boss";
import { createQueue } from "@/lib/jobs/queues";
import type { JobDefinition } from "@/lib/jobs/workers";
import { COMPACT_QUERY } from "./queries";

/**
 * The dashboard's rollup job: folds the figures' pending changes ("DashboardDelta", appended by
 * the triggers on "Lead") into "DashboardRollup", so dashboard reads stay a few thousand rows
 * however busy the organization. Runs every minute (a pg-boss schedule, kept in PostgreSQL, run by
 * whichever instance's scheduler fires); the figures are exact whether it has run or not.
 */
export const DASHBOARD_ROLLUP_QUEUE = "dashboard-rollup";

export async function compactDashboardRollup(): Promise<number> {
  return prisma.$executeRawUnsafe(COMPACT_QUERY);
}

export const dashboardRollupJob: JobDefinition<object> = {
  queue: DASHBOARD_ROLLUP_QUEUE,
  // One run at a time is enough; a missed minute is caught up by the next one.
  options: { policy: "singleton", retryLimit: 1, expireInSeconds: 300 },
  handler: async () => {
    await compactDashboardRollup();
  },
};

let scheduled: Promise<void> | undefined;

/** Makes sure the every-minute schedule exists (idempotent; once per process). */
export function ensureDashboardRollupScheduled(): Promise<void> {
  scheduled ??= (async () => {
    const boss = await getBoss();
    await createQueue(boss, DASHBOARD_ROLLUP_QUEUE, dashboardRollupJob.options);
    await boss.schedule(DASHBOARD_ROLLUP_QUEUE, "* * * * *", {}, { tz: "UTC" });
  })().catch((error: unknown) => {
    scheduled = undefined;
    console.error("[jobs] could not schedule the dashboard rollup", error);
  });
  return scheduled;
}
