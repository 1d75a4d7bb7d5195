import "server-only";
import { getBoss } from "@/lib/jobs/boss";
import { createQueue } from "@/lib/jobs/queues";

export const LEAD_IMPORT_QUEUE = "lead-import";
export const LEAD_IMPORT_SWEEP_QUEUE = "lead-import-sweep";

export interface LeadImportJob {
  importId: string;
}

let queuesReady: Promise<void> | undefined;

/** Creates the two queues and the sweep's schedule (all idempotent), once per process. */
function ensureQueues(): Promise<void> {
  queuesReady ??= (async () => {
    const boss = await getBoss();
    await createQueue(boss, LEAD_IMPORT_QUEUE, { retryLimit: 5, retryDelay: 5, expireInSeconds: 4 * 3600 });
    await createQueue(boss, LEAD_IMPORT_SWEEP_QUEUE, { retryLimit: 0, expireInSeconds: 120 });
    await boss.schedule(LEAD_IMPORT_SWEEP_QUEUE, "* * * * *");
  })().catch((error: unknown) => {
    queuesReady = undefined;
    throw error;
  });
  return queuesReady;
}

/** Sends the job of an import; at most one every few seconds per import (the lease does the rest). */
export async function queueImportJob(importId: string): Promise<void> {
  await ensureQueues();
  const boss = await getBoss();
  await boss.send(LEAD_IMPORT_QUEUE, { importId } satisfies LeadImportJob, { singletonKey: importId, singletonSeconds: 5 });
}
