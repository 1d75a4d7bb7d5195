import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { withAfterCommit } from "@/lib/db/after-commit";
import { rawQuery, type TransactionClient } from "@/lib/db/client";
import { isRetryableTransactionError, sqlTransaction, type SqlTx } from "@/lib/db/sql-tx";
import {
  countMatchingSql,
  findMatchingSql,
  INSERT_HISTORY_SQL,
  INSERT_LEAD_SQL,
  INSERT_LEADS_SQL,
  LEAD_COLUMNS,
  insertHistoryParams,
  insertLeadsParams,
  LOCK_BY_EMAILS_SQL,
  lockMatchingSql,
  writeChangesParams,
  WRITE_CHANGES_SQL,
  type MatchColumn,
} from "./sql";
import { leadRecordFromRow, type LeadEventRow, type LeadNoteRow, type LeadRecord, type LeadRow, type LeadUpdateWrite, type NewLeadRow } from "./record";

/**
 * The lead store: the one place that writes Lead, LeadNote and LeadEvent (and reads them for a
 * write). The services hold the rules (planLeadUpdate, historyRecords) and call these functions;
 * none of them imports the Prisma client. The SQL itself is in ./sql, shared with the bench, and
 * runs on `pg` directly (lib/db/sql-tx): the PATCH path's statements are the floor's statements.
 */

export type { LeadEventRow, LeadNoteRow, LeadRecord, LeadUpdateWrite, NewLeadRow } from "./record";

/** A transaction of the store; opaque to the services. */
export type StoreTx = SqlTx;

/** What identifies the leads of one organization: one normalised column and its value. */
export interface LeadMatchKey {
  organizationId: string;
  column: MatchColumn;
  value: string;
}

/** Outside a transaction: one statement on the pool. */
const outside: Pick<SqlTx, "query"> = { query: (text, values = []) => rawQuery(text, values) };

const rows = async (tx: Pick<SqlTx, "query">, sql: string, params: unknown[]): Promise<LeadRecord[]> =>
  (await tx.query<LeadRow>(sql, params)).map(leadRecordFromRow);

/**
 * Runs `work` in one transaction. Deadlocks and serialization failures are retried: the whole
 * transaction rolled back, so nothing was half-written. Work registered with afterCommit
 * (lib/db/after-commit) runs once the transaction committed, and not for an attempt rolled back.
 */
export async function inTransaction<T>(work: (tx: StoreTx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withAfterCommit((body) => sqlTransaction(body, { maxWaitMs: 15_000, timeoutMs: options.timeoutMs ?? 30_000 }), work);
    } catch (error) {
      if (!isRetryableTransactionError(error) || attempt >= 3) throw error;
    }
  }
}

/** Locks the matching leads, oldest first, at most `limit` of them. */
export function lockMatchingLeads(tx: StoreTx, key: LeadMatchKey, limit: number): Promise<LeadRecord[]> {
  return rows(tx, lockMatchingSql(key.column), [key.organizationId, key.value, limit]);
}

/** The matching leads without locking them (dry runs), oldest first, at most `limit`. */
export function findMatchingLeads(key: LeadMatchKey, limit: number): Promise<LeadRecord[]> {
  return rows(outside, findMatchingSql(key.column), [key.organizationId, key.value, limit]);
}

export async function countMatchingLeads(tx: StoreTx | null, key: LeadMatchKey): Promise<number> {
  const [row] = await (tx ?? outside).query<{ count: number }>(countMatchingSql(key.column), [key.organizationId, key.value]);
  return Number(row?.count ?? 0);
}

/**
 * Writes planned changes, their notes and their events in one set-based statement (a constant
 * number of parameters at any size), and returns the updated leads whose id is in `returnIds`.
 */
export async function writeLeadChanges(
  tx: StoreTx,
  change: { writes: LeadUpdateWrite[]; notes: LeadNoteRow[]; events: LeadEventRow[]; now: Date; returnIds: string[] },
): Promise<Map<string, LeadRecord>> {
  if (change.writes.length === 0) return new Map();
  const written = await rows(tx, WRITE_CHANGES_SQL, writeChangesParams(change.writes, change.notes, change.events, change.now, change.returnIds));
  return new Map(written.map((lead) => [lead.id, lead]));
}

/**
 * Inserts leads that come with their whole history (the demo data): every column as given, in
 * the demo seed's Prisma transaction with its other writes.
 */
export async function importLeads(
  tx: TransactionClient,
  rows: { leads: Prisma.LeadCreateManyInput[]; notes: Prisma.LeadNoteCreateManyInput[]; events: Prisma.LeadEventCreateManyInput[] },
): Promise<void> {
  await tx.lead.createMany({ data: rows.leads });
  await tx.leadNote.createMany({ data: rows.notes });
  await tx.leadEvent.createMany({ data: rows.events });
}

/** Inserts a new lead with its note and event. */
export async function insertLead(tx: StoreTx, lead: NewLeadRow, history: { notes: LeadNoteRow[]; events: LeadEventRow[] }): Promise<LeadRecord> {
  const { data } = lead;
  const [created] = await rows(tx, INSERT_LEAD_SQL, [
    lead.id,
    lead.organizationId,
    lead.name,
    lead.email,
    lead.emailNormalized,
    lead.phone,
    lead.phoneNormalized,
    lead.company,
    lead.source,
    data.status ?? "open",
    data.value ?? null,
    lead.currency,
    data.lossReason ?? null,
    data.qualifiedAt?.toISOString() ?? null,
    data.wonAt?.toISOString() ?? null,
    data.lostAt?.toISOString() ?? null,
    lead.createdAt.toISOString(),
    lead.createdAt.toISOString(),
    data.lossReason ? lead.lossReasonId : null,
  ]);
  if (!created) throw new Error("The new lead was not returned");
  await tx.execute(INSERT_HISTORY_SQL, insertHistoryParams(history.notes, history.events));
  return created;
}

/**
 * Inserts many new leads with their notes and events in one set-based statement (a constant
 * number of parameters at any size), in the caller's transaction.
 */
export async function insertLeads(tx: StoreTx, leads: readonly NewLeadRow[], history: { notes: readonly LeadNoteRow[]; events: readonly LeadEventRow[] }): Promise<void> {
  if (leads.length === 0) return;
  await tx.execute(INSERT_LEADS_SQL, insertLeadsParams(leads, history.notes, history.events));
}

/** The organization's lead with this id, as stored, or null (another organization's lead is not found). */
export async function findLead(organizationId: string, id: string): Promise<LeadRecord | null> {
  const [lead] = await rows(outside, `SELECT ${LEAD_COLUMNS} FROM "Lead" WHERE "id" = $1 AND "organizationId" = $2`, [id, organizationId]);
  return lead ?? null;
}

/** The leads with these ids, as stored (in the caller's transaction). */
export async function findLeadsByIds(tx: StoreTx, ids: readonly string[]): Promise<LeadRecord[]> {
  if (ids.length === 0) return [];
  const found = await tx.query<LeadRow>(`SELECT ${LEAD_COLUMNS} FROM "Lead" WHERE "id" = ANY($1::text[])`, [[...ids]]);
  return found.map(leadRecordFromRow);
}

/**
 * Locks the leads of the organization whose normalised e-mail is one of `emails`, at most
 * `limitPerEmail` per e-mail, oldest first: lockMatchingLeads for a batch of e-mails in one query.
 * Every e-mail is a key of the result (an empty list when nothing matches).
 */
export async function lockLeadsByEmails(tx: StoreTx, organizationId: string, emails: readonly string[], limitPerEmail: number): Promise<Map<string, LeadRecord[]>> {
  const sorted = [...new Set(emails)].sort();
  const result = new Map<string, LeadRecord[]>(sorted.map((email) => [email, []]));
  if (sorted.length === 0) return result;
  const found = await tx.query<LeadRow & { matchKey: string }>(LOCK_BY_EMAILS_SQL, [organizationId, sorted, limitPerEmail]);
  for (const { matchKey, ...row } of found) result.get(matchKey)?.push(leadRecordFromRow(row));
  return result;
}
