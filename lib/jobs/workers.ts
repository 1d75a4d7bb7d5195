import type PgBoss from "pg-boss";
import { dashboardRollupJob } from "@/lib/dashboard/jobs";
import { getBoss } from "./boss";
import { leadImportJob, leadImportSweepJob } from "@/lib/imports/jobs";
import { webhookDeliverJob, webhookSweepJob } from "@/lib/webhooks/jobs";

/**
 * A background job kind: its queue, the queue's retry policy, and the handler that runs a batch
 * of its jobs. Each domain defines its own (lib/<domain>/jobs.ts) and lists it in JOB_DEFINITIONS.
 */
export interface JobDefinition<T extends object = object> {
  queue: string;
  options?: Omit<PgBoss.Queue, "name">;
  work?: PgBoss.WorkOptions;
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
 * pg-boss creates a queue with an INSERT and a partition of its job table: two instances that start
 * together can deadlock (40P01) or collide (23505) there. Both mean "another instance is creating
 * it": try again shortly, by which time it exists.
 */
async function createQueue(boss: PgBoss, definition: JobDefinition): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(definition.queue, { name: definition.queue, ...definition.options });
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code !== "40P01" && code !== "23505") || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
    }
  }
}

/** Creates the queues (idempotent) and starts this instance's workers for every job kind. */
export async function startJobWorkers(definitions: readonly JobDefinition[] = JOB_DEFINITIONS): Promise<void> {
  const boss = await getBoss();
  for (const definition of definitions) {
    await createQueue(boss, definition);
    await boss.work(definition.queue, definition.work ?? {}, definition.handler as PgBoss.WorkHandler<object>);
  }
}

/** Creates a job kind's queue if needed and sends one job; used by services that enqueue work. */
export async function enqueue<T extends object>(definition: JobDefinition<T>, data: T, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = await getBoss();
  await createQueue(boss, definition as JobDefinition);
  return boss.send(definition.queue, data, options);
}
