import type PgBoss from "pg-boss";
import type { TransactionClient } from "@/lib/db/client";
import { getBoss } from "@/lib/jobs/boss";
import { createQueue } from "@/lib/jobs/queues";
// Types only: lib/jobs/workers.ts lists these jobs, so importing its values here would be circular.
import type { JobDefinition } from "@/lib/jobs/workers";

/**
 * The pg-boss jobs of webhooks. A `webhook-deliver` job names one (endpoint, order key) group: its
 * handler sends that group's pending deliveries oldest first (per-lead order), claiming each by a
 * lease in PostgreSQL so that exactly one instance sends it. A `webhook-sweep` job (scheduled
 * whenever a delivery is claimed or retried) re-queues groups whose sender died (lease expired).
 * Duplicate jobs are harmless: a job that finds nothing to claim ends.
 */

export interface DeliverJobData {
  endpointId: string;
  orderKey: string;
}

export const DELIVER_QUEUE = "webhook-deliver";
export const SWEEP_QUEUE = "webhook-sweep";

type Handler<T> = (jobs: PgBoss.Job<T>[]) => Promise<void>;

// The handlers live in ./deliveries (imported lazily: it imports this module to queue jobs).
const deliverHandler: Handler<DeliverJobData> = async (jobs) => {
  const { runDeliverJobs } = await import("./deliveries");
  await runDeliverJobs(jobs.map((job) => job.data));
};
const sweepHandler: Handler<object> = async () => {
  const { sweepDeliveries } = await import("./deliveries");
  await sweepDeliveries();
};

export const webhookDeliverJob: JobDefinition<DeliverJobData> = {
  queue: DELIVER_QUEUE,
  options: { retryLimit: 3, retryDelay: 5, expireInSeconds: 120 },
  work: { batchSize: 4, pollingIntervalSeconds: 0.5 },
  handler: deliverHandler,
};

export const webhookSweepJob: JobDefinition = {
  queue: SWEEP_QUEUE,
  options: { retryLimit: 1, expireInSeconds: 120 },
  work: { batchSize: 1, pollingIntervalSeconds: 1 },
  handler: sweepHandler,
};

const deliverJobs = (groups: readonly DeliverJobData[], startAfter?: Date): PgBoss.JobInsert[] => {
  const seen = new Set<string>();
  const out: PgBoss.JobInsert[] = [];
  for (const { endpointId, orderKey } of groups) {
    const key = `${endpointId}\u0000${orderKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: DELIVER_QUEUE, data: { endpointId, orderKey }, ...(startAfter ? { startAfter } : {}) });
  }
  return out;
};

/** Queues the groups' deliver jobs inside the caller's transaction (they exist only if it commits). */
export async function nudgeDeliveriesInTransaction(tx: TransactionClient, groups: readonly DeliverJobData[]): Promise<void> {
  const boss = await getBoss();
  await boss.insert(deliverJobs(groups), {
    db: {
      executeSql: async (text: string, values: unknown[]) => ({
        rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values.map((v) => (v === undefined ? null : v))),
      }),
    },
  });
}

/** Queues deliver jobs now or at `startAfter` (retries). */
export async function nudgeDeliveries(groups: readonly DeliverJobData[], startAfter?: Date): Promise<void> {
  if (groups.length === 0) return;
  const boss = await getBoss();
  await createQueue(boss, DELIVER_QUEUE, webhookDeliverJob.options);
  await boss.insert(deliverJobs(groups, startAfter));
}

/** A sweep in `seconds`, at most one per 5-second slot across all instances. */
export async function scheduleSweep(seconds: number): Promise<void> {
  const boss = await getBoss();
  await createQueue(boss, SWEEP_QUEUE, webhookSweepJob.options);
  await boss.send(SWEEP_QUEUE, {}, { startAfter: seconds, singletonKey: "webhook-sweep", singletonSeconds: 5 });
}
