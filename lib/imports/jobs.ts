import "server-only";
import type { JobDefinition } from "@/lib/jobs/workers";
import { LEAD_IMPORT_QUEUE, LEAD_IMPORT_SWEEP_QUEUE, queueImportJob, type LeadImportJob } from "./queue";
import { LEASE_SECONDS, runImport } from "./run-import";
import { staleImports } from "./store";

/**
 * pg-boss jobs of CSV imports, listed in lib/jobs/workers.ts. `lead-import` runs one import;
 * `lead-import-sweep` (every minute, on whichever instance takes it) re-queues imports that nobody
 * is working on any more: their worker's process died, so its lease ran out. Reading an import's
 * progress re-queues it as well. (Type-only import of workers.ts: it imports this module.)
 */

export const leadImportJob: JobDefinition<LeadImportJob> = {
  queue: LEAD_IMPORT_QUEUE,
  // A long import is one long job: it must not expire while it runs. Retries cover a database hiccup.
  options: { retryLimit: 5, retryDelay: 5, expireInSeconds: 4 * 3600 },
  work: { pollingIntervalSeconds: 1 },
  handler: async (jobs) => {
    for (const job of jobs) await runImport(job.data.importId);
  },
};

export const leadImportSweepJob: JobDefinition = {
  queue: LEAD_IMPORT_SWEEP_QUEUE,
  options: { retryLimit: 0, expireInSeconds: 120 },
  handler: async () => {
    for (const stale of await staleImports(LEASE_SECONDS)) await queueImportJob(stale.id);
  },
};
