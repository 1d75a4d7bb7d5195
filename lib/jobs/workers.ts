import type PgBoss from "pg-boss";
import { dashboardRollupJob } from "@/lib/dashboard/jobs";
import { getBoss } from "./boss";
import { createQueue } from "./queues";
import { leadImportJob, leadImportSweepJob } from "@/lib/imports/jobs";
import { enableLocalDispatch } from "@/lib/webhooks/dispatch";
import { enableSendThread } from "@/lib/webhooks/send-thread";
import { webhookDeliverJob, webhookSweepJob } from "@/lib/webhooks/jobs";

/**
 * A background job kind: its queue, the queue's retry policy, and the handler that runs a batch
 * of its jobs. Each domain defines its own (lib/<domain>/jobs.ts) and lists it in JOB_DEFINITIONS.
 */
export interface JobDefinition<T extends object = object> {
  queue: string;
  options?: Omit<PgBoss.Queue, "name">;
  work?: PgBoss.WorkOptions;
  /** A schedule (pg-boss cron, one job per tick across all instances), if the job also runs periodically. */
  cron?: string;
  handler: (jobs: PgBoss.Job<T>[]) => Promise<void>;
}

export function defineJob<T extends object>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

/** Every job kind of the app. Each domain adds its own line. */
const JOB_DEFINITIONS: JobDefinition[] = [
  leadImportJob as JobDefinition,
  leadImportSweepJob,
  dashboardRollupJob,
  webhookDeliverJob as JobDefinition,
  webhookSweepJob as JobDefinition,
];

/**
 * Creates the queues (idempotent), their schedules, and starts this instance's workers for every
 * job kind. An instance with workers also sends its own changes' webhook deliveries at once, and
 * sends every webhook attempt from a thread of its own (lib/webhooks/send-thread).
 */
export async function startJobWorkers(definitions: readonly JobDefinition[] = JOB_DEFINITIONS): Promise<void> {
  const boss = await getBoss();
  for (const definition of definitions) {
    await createQueue(boss, definition.queue, definition.options);
    if (definition.cron) await boss.schedule(definition.queue, definition.cron);
    await boss.work(definition.queue, definition.work ?? {}, definition.handler as PgBoss.WorkHandler<object>);
  }
  if (definitions.includes(webhookDeliverJob as JobDefinition)) {
    enableSendThread();
    enableLocalDispatch();
  }
}

/** Creates a job kind's queue if needed and sends one job; used by services that enqueue work. */
export async function enqueue<T extends object>(definition: JobDefinition<T>, data: T, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await getBoss();
  await createQueue(boss, definition.queue, definition.options);
  return boss.send(definition.queue, data, options);
}
