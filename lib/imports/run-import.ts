import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Actor, ActorContext } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { createLeads } from "@/lib/leads/create-lead";
import { MAX_NOTE_LENGTH, normalizeEmail } from "@/lib/leads/normalize";
import type { CreateLeadInput } from "@/lib/leads/schemas";
import { inTransaction } from "@/lib/leads/store";
import { updateLeadsByEmails } from "@/lib/leads/update-leads";
import { getMaxBulkMatches, getOrganizationSettings } from "@/lib/organizations/organizations";
import { readStoredMapping, type ColumnMapping } from "./mapping";
import {
  claimLease,
  committedRowChanges,
  failRemainingRows,
  finishImport,
  pendingRows,
  recordOutcomes,
  recordOutcomesIn,
  type ImportRecord,
  type PendingRow,
  type RowOutcome,
} from "./store";
import { checkRow, mapRow } from "./validate-row";

/**
 * The background part of an import: rows go through the same rules as the API (createLead's and
 * updateLeads's, through their batch forms createLeads and updateLeadsByEmails) as the import's
 * actor, with source "import" and a note naming the file. Rows are taken in batches; a batch's
 * lead changes, its outcomes and the progress counters are committed in one transaction, and a
 * worker holds a lease on the import (renewed with every batch) so that one worker runs it.
 * A worker that dies leaves its lease to run out; the next one resumes at the first unfinished
 * row. Every row's change carries the row's request id on the lead's event; on resume, rows of
 * the first pending batch whose change is found committed are recorded instead of applied again.
 */

export const LEASE_SECONDS = 20;
/** An import started this many times without finishing ends as failed. */
export const MAX_ATTEMPTS = 5;
const BATCH_SIZE = 250;

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

/** A row that passed the row checks, ready for the services: its context (request id) and input. */
interface CheckedRow {
  rowNumber: number;
  ctx: ActorContext;
  input: CreateLeadInput;
  /** Update mode: the normalised e-mail to match on (null: the row is created). */
  email: string | null;
}

/** Thrown inside a batch's transaction when the lease was lost, to roll the batch back. */
class LeaseLost extends Error {}

/**
 * One batch through the batch services, in ONE transaction with its outcomes (so a row's change
 * and its outcome commit together, and a resumed import never applies a row twice):
 * - every row is checked first (checkRow); a bad row fails alone and writes nothing;
 * - update mode: the rows are taken in rounds, one row per e-mail per round, so rows sharing an
 *   e-mail keep their file order (two rows of one new e-mail create one lead, then update it).
 *   Each round matches all its e-mails with one query and writes its updates with one statement
 *   (updateLeadsByEmails: updateLeads's rules, the bulk-updates setting and maxBulkMatches);
 *   the rows that match nothing are created with the round's other new leads;
 * - the new leads of a round are written with one statement (createLeads: createLead's rules).
 * Refusals of the services (validation, bulk updates not allowed, limits) fail the row alone;
 * anything else (the database went away) rolls the batch back, which is then retried as a whole.
 * Returns false (and writes nothing) when this worker lost the lease.
 */
async function importBatch(
  record: ImportRecord,
  base: Omit<ActorContext, "requestId">,
  mapping: ColumnMapping,
  rows: PendingRow[],
  options: { owner: string; leaseSeconds: number; recordOutcomes: boolean },
): Promise<boolean> {
  const outcomes: RowOutcome[] = [];
  const rounds: CheckedRow[][] = [];
  const position = new Map<string, number>();
  for (const row of rows) {
    const check = checkRow(mapRow(row.cells, mapping), base.organization);
    if (!check.ok) {
      outcomes.push({ rowNumber: row.rowNumber, outcome: "failed", error: check.message });
      continue;
    }
    const input = { ...check.input, note: importNote(record.fileName, row.rowNumber, check.input.note) };
    const normalized = record.mode === "update" && input.email !== undefined ? normalizeEmail(input.email) : null;
    const email = normalized?.ok ? normalized.value : null;
    const round = email === null ? 0 : (position.get(email) ?? 0);
    if (email !== null) position.set(email, round + 1);
    (rounds[round] ??= []).push({ rowNumber: row.rowNumber, ctx: { ...base, requestId: rowRequestId(record.id, row.rowNumber) }, input, email });
  }
  // Read before the transaction: a second connection taken while holding one could starve the pool.
  const maxBulkMatches = record.mode === "update" && base.organization.allowBulkUpdates ? await getMaxBulkMatches(record.organizationId) : 1;

  const failed = (rowNumber: number, error: AppError): RowOutcome => ({ rowNumber, outcome: "failed", error: error.message });
  try {
    await inTransaction(
      async (tx) => {
        const written: RowOutcome[] = [];
        for (const round of rounds) {
          const toCreate = round.filter((row) => row.email === null);
          const toUpdate = round.filter((row): row is CheckedRow & { email: string } => row.email !== null);
          const updated = await updateLeadsByEmails(
            tx,
            toUpdate.map((row) => ({ ctx: row.ctx, email: row.email, changes: { status: row.input.status, value: row.input.value, lossReason: row.input.lossReason, note: row.input.note } })),
            maxBulkMatches,
          );
          for (const [i, result] of updated.entries()) {
            const row = toUpdate[i]!;
            if (result.ok) written.push({ rowNumber: row.rowNumber, outcome: "updated", leadId: result.leadIds[0] ?? "" });
            else if (result.error.code === "NOT_FOUND") toCreate.push(row);
            else written.push(failed(row.rowNumber, result.error));
          }
          const created = await createLeads(tx, toCreate.map((row) => ({ ctx: row.ctx, input: row.input })));
          for (const [i, result] of created.entries()) {
            const row = toCreate[i]!;
            written.push(result.ok ? { rowNumber: row.rowNumber, outcome: "created", leadId: result.leadId } : failed(row.rowNumber, result.error));
          }
        }
        if (!options.recordOutcomes) return;
        if (!(await recordOutcomesIn(tx, record.id, options.owner, options.leaseSeconds, [...outcomes, ...written]))) throw new LeaseLost();
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    if (error instanceof LeaseLost) return false;
    throw error;
  }
  return true;
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
      // The test's crash commits the batch's lead changes without their outcomes: since both are
      // written in one transaction a real crash cannot do that, but it keeps the recovery above
      // covered (for a batch that an older version of this worker committed that way).
      const crash = options.crashAfterBatches !== undefined && batches >= options.crashAfterBatches;
      const held = await importBatch(record, base, mapping, rows, { owner, leaseSeconds, recordOutcomes: !crash });
      if (crash) return "interrupted";
      // Lost the lease (this worker stalled past it and another took over): stop here.
      if (!held) return "busy";
    }
    await finishImport(importId, owner, "completed");
    return "completed";
  } finally {
    running.delete(key);
  }
}
