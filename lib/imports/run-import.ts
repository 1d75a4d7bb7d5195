import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Actor, ActorContext } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { createLead } from "@/lib/leads/create-lead";
import { MAX_NOTE_LENGTH, normalizeEmail } from "@/lib/leads/normalize";
import { updateLeads } from "@/lib/leads/update-leads";
import { getOrganizationSettings } from "@/lib/organizations/organizations";
import { readStoredMapping, type ColumnMapping } from "./mapping";
import {
  claimLease,
  committedRowChanges,
  failRemainingRows,
  finishImport,
  pendingRows,
  recordOutcomes,
  type ImportRecord,
  type PendingRow,
  type RowOutcome,
} from "./store";
import { checkRow, mapRow } from "./validate-row";

/**
 * The background part of an import: rows go through the same services as the API (createLead,
 * updateLeads) as the import's actor, with source "import" and a note naming the file. Rows are
 * taken in batches; a batch's outcomes and the progress counters are committed together, and a
 * worker holds a lease on the import (renewed with every batch) so that one worker runs it.
 * A worker that dies leaves its lease to run out; the next one resumes at the first unfinished
 * row, and first finds the rows of the interrupted batch whose change had already committed (by
 * the row's request id on the lead's event), so no row is applied twice.
 */

export const LEASE_SECONDS = 20;
/** An import started this many times without finishing ends as failed. */
export const MAX_ATTEMPTS = 5;
const BATCH_SIZE = 250;
const CONCURRENCY = 6;

/** This process, as a lease owner. */
const PROCESS_OWNER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
const running = new Set<string>();

/** The request id of one row's change: recorded on the lead's event, it makes a resumed row idempotent. */
export function rowRequestId(importId: string, rowNumber: number): string {
  return `${importId}:${rowNumber}`;
}

export function importNote(fileName: string, rowNumber: number, note: string | undefined): string {
  const origin = `Imported from ${fileName} (row ${rowNumber})`;
  return (note ? `${origin}: ${note}` : origin).slice(0, MAX_NOTE_LENGTH);
}

function actorOf(record: ImportRecord): Actor {
  if (record.actorType === "user" && record.actorUserId) return { type: "user", userId: record.actorUserId, name: record.actorName };
  if (record.actorType === "api_key" && record.actorApiKeyId) return { type: "api_key", apiKeyId: record.actorApiKeyId, name: record.actorName };
  return { type: "system", name: record.actorName };
}

async function importContext(record: ImportRecord): Promise<Omit<ActorContext, "requestId">> {
  // Read when the job (re)starts: the bulk-updates setting in force now applies.
  const organization = await getOrganizationSettings(record.organizationId);
  return {
    organization: {
      id: organization.id,
      allowBulkUpdates: organization.allowBulkUpdates,
      defaultPhoneCountry: organization.defaultPhoneCountry,
      currency: organization.currency,
    },
    actor: actorOf(record),
    source: "import",
  };
}

/** One row, through the services. Failures of the row's own data come back as a failed outcome. */
async function importRow(record: ImportRecord, base: Omit<ActorContext, "requestId">, mapping: ColumnMapping, row: PendingRow): Promise<RowOutcome> {
  const check = checkRow(mapRow(row.cells, mapping), base.organization);
  if (!check.ok) return { rowNumber: row.rowNumber, outcome: "failed", error: check.message };
  const input = check.input;
  const ctx: ActorContext = { ...base, requestId: rowRequestId(record.id, row.rowNumber) };
  const note = importNote(record.fileName, row.rowNumber, input.note);
  try {
    if (record.mode === "update" && input.email !== undefined) {
      const email = normalizeEmail(input.email);
      if (email.ok) {
        try {
          const result = await updateLeads(ctx, {
            match: { by: "email", email: email.value },
            changes: { status: input.status, value: input.value, lossReason: input.lossReason, note },
          });
          return { rowNumber: row.rowNumber, outcome: "updated", leadId: result.leadIds[0] ?? "" };
        } catch (error) {
          if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
        }
      }
    }
    const lead = await createLead(ctx, { ...input, note });
    return { rowNumber: row.rowNumber, outcome: "created", leadId: lead.id };
  } catch (error) {
    // The services' refusals (validation, bulk updates not allowed, limits) fail the row alone;
    // anything else (the database went away) stops the batch, which is then retried as a whole.
    if (error instanceof AppError) return { rowNumber: row.rowNumber, outcome: "failed", error: error.message };
    throw error;
  }
}

/**
 * A batch with limited concurrency. In update mode, rows with the same e-mail run one after the
 * other, in file order, so two rows of one new e-mail create one lead and then update it.
 */
async function importBatch(record: ImportRecord, base: Omit<ActorContext, "requestId">, mapping: ColumnMapping, rows: PendingRow[]): Promise<RowOutcome[]> {
  const groups = new Map<string, PendingRow[]>();
  for (const row of rows) {
    const email = record.mode === "update" && mapping.email !== undefined ? row.cells[mapping.email] : undefined;
    const key = typeof email === "string" && email.trim() !== "" ? `e:${email.trim().toLowerCase()}` : `r:${row.rowNumber}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const queue = [...groups.values()];
  const outcomes: RowOutcome[] = [];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const row of group) outcomes.push(await importRow(record, base, mapping, row));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return outcomes;
}

export interface RunOptions {
  /**
   * For tests: die after this many recorded batches, in the worst place: the next batch's lead
   * changes are committed but its outcomes are not (the lease is kept until it runs out).
   */
  crashAfterBatches?: number;
  /** For tests: the lease owner and its length, to play a dead process and its successor in one. */
  owner?: string;
  leaseSeconds?: number;
}

export type RunResult = "completed" | "failed" | "busy" | "interrupted";

/**
 * Runs (or resumes) an import to its end. Returns "busy" when another live worker holds it, or
 * it is already finished.
 */
export async function runImport(importId: string, options: RunOptions = {}): Promise<RunResult> {
  const owner = options.owner ?? PROCESS_OWNER;
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const key = `${owner}|${importId}`;
  if (running.has(key)) return "busy";
  running.add(key);
  try {
    const record = await claimLease(importId, owner, leaseSeconds);
    if (!record) return "busy";
    if (record.attempts > MAX_ATTEMPTS) {
      const reason = `The import was interrupted ${MAX_ATTEMPTS} times and was stopped`;
      await failRemainingRows(importId, owner, `Not imported: ${reason.toLowerCase()}`);
      await finishImport(importId, owner, "failed", reason);
      return "failed";
    }
    const base = await importContext(record);
    const mapping = readStoredMapping(record.mapping);

    if (record.attempts > 1) {
      // Resumed: the interrupted batch is the first pending one. Rows whose change committed
      // before the worker died are recorded from their events instead of being applied again.
      const inFlight = await pendingRows(importId, BATCH_SIZE);
      const since = new Date((record.startedAt ?? record.createdAt).getTime() - 5 * 60_000);
      const committed = await committedRowChanges(record.organizationId, since, inFlight.map((r) => rowRequestId(importId, r.rowNumber)));
      const recovered: RowOutcome[] = [];
      for (const row of inFlight) {
        const change = committed.get(rowRequestId(importId, row.rowNumber));
        if (change) recovered.push({ rowNumber: row.rowNumber, outcome: change.type === "created" ? "created" : "updated", leadId: change.leadId });
      }
      if (!(await recordOutcomes(importId, owner, leaseSeconds, recovered))) return "busy";
    }

    for (let batches = 0; ; batches++) {
      const rows = await pendingRows(importId, BATCH_SIZE);
      if (rows.length === 0) break;
      const outcomes = await importBatch(record, base, mapping, rows);
      if (options.crashAfterBatches !== undefined && batches >= options.crashAfterBatches) return "interrupted";
      // Lost the lease (this worker stalled past it and another took over): stop here.
      if (!(await recordOutcomes(importId, owner, leaseSeconds, outcomes))) return "busy";
    }
    await finishImport(importId, owner, "completed");
    return "completed";
  } finally {
    running.delete(key);
  }
}
