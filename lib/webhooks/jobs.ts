import type PgBoss from "pg-boss";
import { getBoss } from "@/lib/jobs/boss";
import { createQueue } from "@/lib/jobs/queues";
// Types only: lib/jobs/workers.ts lists these jobs, so importing its values here would be circular.
import type { JobDefinition } from "@/lib/jobs/workers";

/**
 * The pg-boss jobs of webhooks. A `webhook-deliver` job names one (endpoint, order key) group: its
 * handler sends that group's pending deliveries oldest first (per-lead order), claiming each by a
 * lease in PostgreSQL so that exactly one instance sends it. Fresh changes are sent by the
 * instance that made them without a job (./dispatch); jobs carry retries, replays, hand-offs and
 * whatever that instance could not take. A `webhook-sweep` job (every minute by cron, and a lease
 * after each claim) re-queues groups whose sender died (lease expired) or whose wake-up was lost.
 * Duplicate jobs are harmless: a job that finds nothing to claim ends.
 */

export interface DeliverJobData {
  endpointId: string;
  orderKey: string;
}

/** A sweep of every group (none), or of one endpoint's due groups right after it is enabled. */
export interface SweepJobData {
  endpointId?: string;
}

export const DELIVER_QUEUE = "webhook-deliver";
export const SWEEP_QUEUE = "webhook-sweep";

type Handler<T> = (jobs: PgBoss.Job<T>[]) => Promise<void>;

// The handlers live in ./deliveries (imported lazily: it imports this module to queue jobs).
const deliverHandler: Handler<DeliverJobData> = async (jobs) => {
  const { runDeliverJobs } = await import("./deliveries");
  await runDeliverJobs(jobs.map((job) => job.data));
};
const sweepHandler: Handler<SweepJobData> = async (jobs) => {
  const { sweepDeliveries } = await import("./deliveries");
  for (const job of jobs) await sweepDeliveries(job.data.endpointId);
};

/**
 * A worker fetches up to 100 groups at a time and sends their heads together (one claim and one
 * record statement per round): pg-boss polls each worker at most every 0.5 s, so the batch size,
 * not the poll, sets how many deliveries an instance can send per second.
 */
export const webhookDeliverJob: JobDefinition<DeliverJobData> = {
  queue: DELIVER_QUEUE,
  options: { retryLimit: 3, retryDelay: 5, expireInSeconds: 120 },
  work: { batchSize: 100, pollingIntervalSeconds: 0.5 },
  handler: deliverHandler,
};

export const webhookSweepJob: JobDefinition<SweepJobData> = {
  queue: SWEEP_QUEUE,
  cron: "* * * * *",
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

/** Queues deliver jobs now or at `startAfter` (retries). */
export async function nudgeDeliveries(groups: readonly DeliverJobData[], startAfter?: Date): Promise<void> {
  if (groups.length === 0) return;
  const boss = await getBoss();
  await createQueue(boss, DELIVER_QUEUE, webhookDeliverJob.options);
  await boss.insert(deliverJobs(groups, startAfter));
}

/**
 * A sweep in `seconds`. Throttled (the default): at most one per 5-second slot of the moment it
 * is asked for, across all instances (per endpoint, when one is named); pg-boss keeps the slot
 * taken even once that sweep has run. The start-up sweep is not throttled: it would otherwise
 * take the slot of the lease sweep that the instance's first claim asks for right after.
 */
export async function scheduleSweep(seconds: number, options: { endpointId?: string; throttled?: boolean } = {}): Promise<void> {
  const boss = await getBoss();
  await createQueue(boss, SWEEP_QUEUE, webhookSweepJob.options);
  const { endpointId, throttled = true } = options;
  const data: SweepJobData = endpointId ? { endpointId } : {};
  const throttle = throttled ? { singletonKey: endpointId ? `webhook-sweep:${endpointId}` : "webhook-sweep", singletonSeconds: 5 } : {};
  await boss.send(SWEEP_QUEUE, data, { startAfter: seconds, ...throttle });
}
