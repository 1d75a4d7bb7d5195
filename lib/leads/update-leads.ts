import "server-only";
import type { ActorContext } from "@/lib/auth/actor";
import { AppError, validationError, type ErrorCode } from "@/lib/errors";
import { resolveLossReasonId } from "@/lib/loss-reasons/loss-reasons";
import { getMaxBulkMatches } from "@/lib/organizations/organizations";
import { normalizePhone } from "./normalize";
import { historyRecords } from "./history";
import { applyLeadUpdate, planLeadUpdate, type LeadDiff } from "./plan-update";
import type { LeadChanges, LeadMatch, OnMultiple } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";
import {
  countMatchingLeads,
  findMatchingLeads,
  inTransaction,
  lockLeadsByEmails,
  lockMatchingLeads,
  writeLeadChanges,
  type LeadEventRow,
  type LeadMatchKey,
  type LeadNoteRow,
  type LeadRecord,
  type LeadUpdateWrite,
  type StoreTx,
} from "./store";

/** Replies list at most this many leads; the request id finds them all (GET /api/leads?requestId=). */
export const REPLY_LEAD_LIMIT = 100;
import { hasWebhookEndpoints, recordWebhookEvents } from "@/lib/webhooks/outbox";

export interface UpdateLeadsInput {
  match: LeadMatch;
  changes: LeadChanges;
  /** What to do when several leads match; default: the organization's "Allow bulk updates". */
  onMultiple?: OnMultiple;
  /** The app's forms send the version they were loaded at; a newer lead is refused (409). */
  expectedVersion?: number;
}

export interface UpdateLeadsResult {
  /** Every matched lead (changed or not). */
  matchCount: number;
  /** The first REPLY_LEAD_LIMIT matched leads, oldest first, as stored after the update. */
  leadIds: string[];
  leads: LeadDto[];
  truncated: boolean;
  /** Leads where a field changed or a note was added. */
  changedCount: number;
  message: string;
}

export interface DryRunLead {
  id: string;
  /** What would change, as the lead's history would record it ({} when nothing). */
  changes: LeadDiff;
  /** The note that would be added, if any. */
  note: string | null;
  before: LeadDto;
  after: LeadDto;
}

export interface DryRunResult {
  dryRun: true;
  matchCount: number;
  /** Nothing is ever written by a dry run. */
  leadsUpdated: 0;
  wouldSucceed: boolean;
  /** The error the same request would get without dryRun, or null. */
  error: { status: number; code: ErrorCode; message: string; details: unknown } | null;
  /** Up to REPLY_LEAD_LIMIT matched leads, oldest first, with their changes before and after. */
  leads: DryRunLead[];
  truncated: boolean;
  message: string;
}

function matchKey(ctx: ActorContext, match: LeadMatch): LeadMatchKey {
  const organizationId = ctx.organization.id;
  switch (match.by) {
    case "id":
      return { organizationId, column: "id", value: match.id };
    case "email":
      return { organizationId, column: "emailNormalized", value: match.email };
    case "phone": {
      const phone = normalizePhone(match.phone, ctx.organization.defaultPhoneCountry);
      if (!phone.ok) throw validationError([{ field: "phone", message: phone.message }]);
      return { organizationId, column: "phoneNormalized", value: phone.value };
    }
  }
}

/**
 * The match policy. `onMultiple: "all"` needs the organization's "Allow bulk updates" (the
 * admin's switch is a ceiling, never bypassed); without the field, the switch decides.
 */
function policyFor(ctx: ActorContext, onMultiple: OnMultiple | undefined): { bulk: boolean; refusal: AppError | null } {
  if (onMultiple === "all" && !ctx.organization.allowBulkUpdates) {
    return {
      bulk: false,
      refusal: new AppError("FORBIDDEN", 'onMultiple "all" needs bulk updates, which are off for this organization; an admin can allow them in Settings'),
    };
  }
  return { bulk: (onMultiple ?? (ctx.organization.allowBulkUpdates ? "all" : "error")) === "all", refusal: null };
}

function severalMatches(match: LeadMatch, matchCount: number, bulkAllowed: boolean): AppError {
  const hint = bulkAllowed ? 'send onMultiple "all" to update all of them' : "let an admin allow bulk updates";
  return new AppError("CONFLICT", `${matchCount} leads match this ${match.by}; identify one lead by id, or ${hint}`, { matchCount });
}

function overMaximum(matchCount: number, maxBulkMatches: number): AppError {
  return new AppError(
    "CONFLICT",
    `${matchCount} leads match, more than this organization's maximum of ${maxBulkMatches} per request; narrow the match, or let an admin raise the maximum`,
    { matchCount, maxBulkMatches },
  );
}

/**
 * Matches and checks the refusals that depend on the data: none found, several where one is
 * expected, more than the maximum. Locks at most one lead more than it accepts, so a refusal
 * never holds thousands of row locks; the exact count of a refused match is counted separately.
 */
async function lockAccepted(
  tx: StoreTx,
  input: UpdateLeadsInput,
  key: LeadMatchKey,
  policy: { bulk: boolean; allowBulkUpdates: boolean; maxBulkMatches: number },
): Promise<LeadRecord[]> {
  const { maxBulkMatches } = policy;
  const matched = await lockMatchingLeads(tx, key, Math.max(maxBulkMatches, 1) + 1);
  if (matched.length === 0) throw new AppError("NOT_FOUND", "No lead matches the given identifier");
  if (matched.length === 1) return matched;
  const exact = () => (matched.length > maxBulkMatches ? countMatchingLeads(tx, key) : Promise.resolve(matched.length));
  if (!policy.bulk) throw severalMatches(input.match, await exact(), policy.allowBulkUpdates);
  if (matched.length > maxBulkMatches) throw overMaximum(await exact(), maxBulkMatches);
  return matched;
}

function describe(changed: number, matched: number): string {
  if (changed === 0) return matched === 1 ? "Lead matched; nothing to change" : `${matched} leads matched; nothing to change`;
  return matched === 1 ? "Lead updated" : `${changed} of ${matched} leads updated`;
}

/** The planned writes of one change to the matched leads: unchanged leads without a note are skipped. */
function planChanges(
  ctx: ActorContext,
  matched: readonly LeadRecord[],
  changes: LeadChanges,
  now: Date,
  lossReasonId: string | null,
): { writes: LeadUpdateWrite[]; notes: LeadNoteRow[]; events: LeadEventRow[] } {
  const note = changes.note;
  const writes: LeadUpdateWrite[] = [];
  const notes: LeadNoteRow[] = [];
  const events: LeadEventRow[] = [];
  for (const lead of matched) {
    const { data, diff } = planLeadUpdate(lead, changes, now);
    const fieldsChanged = Object.keys(diff).length > 0;
    if (!fieldsChanged && note === undefined) continue;
    writes.push({ leadId: lead.id, data, bumpVersion: fieldsChanged, lossReasonId: data.lossReason ? lossReasonId : null });
    const history = historyRecords(ctx, lead.id, { type: "updated", diff, note, at: now });
    if (history.note) notes.push(history.note);
    events.push(history.event);
  }
  return { writes, notes, events };
}

/**
 * Updates the leads that `match` finds in the caller's organization: the one implementation behind
 * PATCH /api/leads and the app's lead form. In one transaction it matches (locking the rows),
 * applies the match policy and the conflict rule, plans each lead's change with planLeadUpdate
 * and historyRecords, and writes every change, note and event with one set-based statement.
 */
export async function updateLeads(ctx: ActorContext, input: UpdateLeadsInput): Promise<UpdateLeadsResult> {
  const key = matchKey(ctx, input.match);
  const policy = policyFor(ctx, input.onMultiple);
  if (policy.refusal) throw policy.refusal;
  // Read before the transaction: a second connection taken while holding one could starve the pool.
  const maxBulkMatches = policy.bulk && key.column !== "id" ? await getMaxBulkMatches(ctx.organization.id) : 1;
  return inTransaction(
    async (tx) => {
      const matched = await lockAccepted(tx, input, key, { bulk: policy.bulk, allowBulkUpdates: ctx.organization.allowBulkUpdates, maxBulkMatches });
      const [first] = matched;
      if (input.expectedVersion !== undefined && first && first.version !== input.expectedVersion) {
        throw new AppError("CONFLICT", "This lead was changed by someone else since you opened it", {
          reason: "STALE_VERSION",
          expectedVersion: input.expectedVersion,
          lead: serializeLead(first),
        });
      }

      const now = new Date();
      // A loss reason that matches a managed one (case-insensitive, trimmed) links to it; other text is "Other".
      const lossReasonId = input.changes.lossReason !== undefined ? await resolveLossReasonId(ctx.organization.id, input.changes.lossReason, tx) : null;
      const { writes, notes, events } = planChanges(ctx, matched, input.changes, now, lossReasonId);
      const shown = matched.slice(0, REPLY_LEAD_LIMIT);
      // Webhook payloads carry every changed lead as stored; without an endpoint only the reply's leads come back.
      const notify = events.length > 0 && (await hasWebhookEndpoints(tx, ctx.organization));
      const returnIds = notify ? [...new Set([...shown.map((lead) => lead.id), ...writes.map((w) => w.leadId)])] : shown.map((lead) => lead.id);
      const written = await writeLeadChanges(tx, { writes, notes, events, now, returnIds });
      const leads = shown.map((lead) => serializeLead(written.get(lead.id) ?? lead));
      // The outbox: the change's webhook deliveries, in the change's own transaction.
      if (notify) await recordWebhookEvents(tx, ctx, { events, notes, leads: [...written.values()].map(serializeLead) });

      return {
        matchCount: matched.length,
        leadIds: leads.map((l) => l.id),
        leads,
        truncated: matched.length > shown.length,
        changedCount: events.length,
        message: describe(events.length, matched.length),
      };
    },
    // A bulk update of the maximum size takes seconds, not minutes.
    { timeoutMs: 120_000 },
  );
}

/** One input of updateLeadsByEmails: the row's own context (request id), a normalised e-mail and the changes. */
export interface EmailUpdateItem {
  ctx: ActorContext;
  email: string;
  changes: LeadChanges;
}

/** Per input, in order: the matched leads (changed or not), or the refusal updateLeads would have thrown (NOT_FOUND included). */
export type EmailUpdateResult = { ok: true; leadIds: string[] } | { ok: false; error: AppError };

/**
 * updateLeads with `match: { by: "email" }` and no onMultiple, for a batch of distinct e-mails of
 * one organization, in the caller's transaction: one query locks the matches of every e-mail, each
 * input gets updateLeads's refusals (none found, several without bulk updates, more than
 * `maxBulkMatches`) and its planned changes, and the changes of the inputs that passed are written
 * with one set-based statement. A refused input writes nothing. Inputs must not share an e-mail
 * (their order would matter): the caller runs those in successive calls.
 */
export async function updateLeadsByEmails(tx: StoreTx, items: readonly EmailUpdateItem[], maxBulkMatches: number): Promise<EmailUpdateResult[]> {
  const [first] = items;
  if (!first) return [];
  const organization = first.ctx.organization;
  if (items.some((item) => item.ctx.organization.id !== organization.id)) throw new Error("updateLeadsByEmails: one organization per call");
  if (new Set(items.map((item) => item.email)).size !== items.length) throw new Error("updateLeadsByEmails: the e-mails must be distinct");
  const policy = policyFor(first.ctx, undefined);
  const maximum = policy.bulk ? maxBulkMatches : 1;
  const found = await lockLeadsByEmails(tx, organization.id, items.map((item) => item.email), Math.max(maximum, 1) + 1);

  const now = new Date();
  const writes: LeadUpdateWrite[] = [];
  const notes: LeadNoteRow[] = [];
  const events: LeadEventRow[] = [];
  const results: EmailUpdateResult[] = [];
  const reasonIds = new Map<string, string | null>();
  for (const item of items) {
    const matched = found.get(item.email) ?? [];
    if (matched.length === 0) {
      results.push({ ok: false, error: new AppError("NOT_FOUND", "No lead matches the given identifier") });
      continue;
    }
    if (matched.length > 1 && (!policy.bulk || matched.length > maximum)) {
      const key: LeadMatchKey = { organizationId: organization.id, column: "emailNormalized", value: item.email };
      const exact = matched.length > maximum ? await countMatchingLeads(tx, key) : matched.length;
      const match: LeadMatch = { by: "email", email: item.email };
      results.push({ ok: false, error: policy.bulk ? overMaximum(exact, maximum) : severalMatches(match, exact, organization.allowBulkUpdates) });
      continue;
    }
    const text = item.changes.lossReason;
    if (text !== undefined && !reasonIds.has(text)) reasonIds.set(text, await resolveLossReasonId(organization.id, text, tx));
    const planned = planChanges(item.ctx, matched, item.changes, now, text !== undefined ? (reasonIds.get(text) ?? null) : null);
    writes.push(...planned.writes);
    notes.push(...planned.notes);
    events.push(...planned.events);
    results.push({ ok: true, leadIds: matched.map((lead) => lead.id) });
  }
  // The outbox: the batch's webhook deliveries (with every changed lead as stored), in the batch's transaction.
  const notify = events.length > 0 && (await hasWebhookEndpoints(tx, organization));
  const written = await writeLeadChanges(tx, { writes, notes, events, now, returnIds: notify ? writes.map((w) => w.leadId) : [] });
  if (notify) await recordWebhookEvents(tx, first.ctx, { events, notes, leads: [...written.values()].map(serializeLead) });
  return results;
}

/**
 * What updateLeads would do, without writing or locking anything: the match count, the first
 * leads' changes before and after, and the refusal the request would get. Refusals that depend on
 * the data are part of the answer, not thrown; a malformed request is still refused by the schema.
 */
export async function previewLeadUpdate(ctx: ActorContext, input: UpdateLeadsInput): Promise<DryRunResult> {
  const key = matchKey(ctx, input.match);
  const sample = await findMatchingLeads(key, REPLY_LEAD_LIMIT);
  const matchCount = sample.length < REPLY_LEAD_LIMIT ? sample.length : await countMatchingLeads(null, key);
  const policy = policyFor(ctx, input.onMultiple);

  let refusal: AppError | null = policy.refusal;
  if (!refusal && matchCount === 0) refusal = new AppError("NOT_FOUND", "No lead matches the given identifier");
  if (!refusal && matchCount > 1 && !policy.bulk) refusal = severalMatches(input.match, matchCount, ctx.organization.allowBulkUpdates);
  if (!refusal && matchCount > 1) {
    const maxBulkMatches = await getMaxBulkMatches(ctx.organization.id);
    if (matchCount > maxBulkMatches) refusal = overMaximum(matchCount, maxBulkMatches);
  }
  const [first] = sample;
  if (!refusal && input.expectedVersion !== undefined && first && first.version !== input.expectedVersion) {
    refusal = new AppError("CONFLICT", "This lead was changed by someone else since you opened it", {
      reason: "STALE_VERSION",
      expectedVersion: input.expectedVersion,
      lead: serializeLead(first),
    });
  }

  const now = new Date();
  const note = input.changes.note ?? null;
  let changing = 0;
  const leads = sample.map((lead): DryRunLead => {
    const { data, diff } = planLeadUpdate(lead, input.changes, now);
    const fieldsChanged = Object.keys(diff).length > 0;
    const touched = fieldsChanged || note !== null;
    if (touched) changing++;
    const after = touched ? applyLeadUpdate(lead, data, { now, bumpVersion: fieldsChanged }) : lead;
    return { id: lead.id, changes: diff, note: touched ? note : null, before: serializeLead(lead), after: serializeLead(after) };
  });

  const truncated = matchCount > leads.length;
  const message = refusal
    ? `Dry run: this request would be refused (${refusal.code}); nothing was written`
    : `Dry run: ${matchCount === 1 ? "1 lead matches" : `${matchCount} leads match`}${truncated ? "" : `, ${changing} would change`}; nothing was written`;
  return {
    dryRun: true,
    matchCount,
    leadsUpdated: 0,
    wouldSucceed: refusal === null,
    error: refusal ? { status: refusal.status, code: refusal.code, message: refusal.message, details: refusal.details ?? null } : null,
    leads,
    truncated,
    message,
  };
}
