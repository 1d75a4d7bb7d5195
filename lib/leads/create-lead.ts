import "server-only";
import type { ActorContext } from "@/lib/auth/actor";
import { AppError, validationError } from "@/lib/errors";
import { resolveLossReasonId } from "@/lib/loss-reasons/loss-reasons";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "./normalize";
import { historyRecords } from "./history";
import { planLeadUpdate } from "./plan-update";
import type { CreateLeadInput } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";
import { findLeadsByIds, inTransaction, insertLead, insertLeads, type LeadEventRow, type LeadNoteRow, type NewLeadRow, type StoreTx } from "./store";
import { hasWebhookEndpoints, recordWebhookEvents } from "@/lib/webhooks/outbox";

/** Everything one new lead writes: its row, its first note (if any) and its "created" event. */
export interface PlannedLead {
  lead: NewLeadRow;
  notes: LeadNoteRow[];
  events: LeadEventRow[];
}

/**
 * The rules of a new lead, as one function shared by createLead and createLeads: the e-mail and
 * phone are normalised (a bad one is refused with the field's message), and the requested status
 * and value are applied to an open, empty lead as a change, so that timestamps and the
 * loss-reason rule work exactly as for an update. Duplicates by e-mail are allowed on purpose.
 */
export function planNewLead(ctx: ActorContext, input: CreateLeadInput, now: Date): PlannedLead {
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (email && !email.ok) throw validationError([{ field: "email", message: email.message }]);
  const phone = input.phone === undefined ? null : normalizePhone(input.phone, ctx.organization.defaultPhoneCountry);
  if (phone && !phone.ok) throw validationError([{ field: "phone", message: phone.message }]);

  const { data, diff } = planLeadUpdate(
    { status: "open", value: null, lossReason: null, qualifiedAt: null },
    { status: input.status, value: input.value, lossReason: input.lossReason },
    now,
  );
  const leadId = newId("lead");
  const { note, event } = historyRecords(ctx, leadId, {
    type: "created",
    // The first event records every field the lead starts with, status included.
    diff: { status: { from: null, to: data.status ?? "open" }, ...(diff.value ? { value: diff.value } : {}), ...(diff.lossReason ? { lossReason: diff.lossReason } : {}) },
    note: input.note,
    at: now,
  });
  return {
    lead: {
      id: leadId,
      organizationId: ctx.organization.id,
      name: input.name ?? null,
      email: input.email?.trim() ?? null,
      emailNormalized: email?.value ?? null,
      phone: input.phone ?? null,
      phoneNormalized: phone?.value ?? null,
      company: input.company ?? null,
      source: input.source ?? ctx.source,
      currency: ctx.organization.currency,
      data,
      // Linked to a managed loss reason by the caller, in its transaction.
      lossReasonId: null,
      createdAt: now,
    },
    notes: note ? [note] : [],
    events: [event],
  };
}

/**
 * Creates a lead in the caller's organization with the same field rules as an update, its first
 * note and a "created" event, in one transaction.
 */
export async function createLead(ctx: ActorContext, input: CreateLeadInput): Promise<LeadDto> {
  const planned = planNewLead(ctx, input, new Date());
  const lead = await inTransaction(async (tx) => {
    const { data } = planned.lead;
    // A loss reason that matches a managed one (case-insensitive, trimmed) links to it; other text is "Other".
    planned.lead.lossReasonId = data.lossReason ? await resolveLossReasonId(ctx.organization.id, data.lossReason, tx) : null;
    const created = await insertLead(tx, planned.lead, { notes: planned.notes, events: planned.events });
    // The outbox: the new lead's webhook deliveries, in its own transaction.
    await recordWebhookEvents(tx, ctx, { events: planned.events, notes: planned.notes, leads: [serializeLead(created)] });
    return created;
  });
  return serializeLead(lead);
}

/** One input of createLeads: its own context (each import row has its own request id). */
export interface CreateLeadsItem {
  ctx: ActorContext;
  input: CreateLeadInput;
}

/** Per input, in order: the new lead's id, or the refusal createLead would have thrown. */
export type CreateLeadsResult = { ok: true; leadId: string } | { ok: false; error: AppError };

/**
 * createLead for a batch, in the caller's transaction: every input is planned with createLead's
 * rules (planNewLead) first; an input that breaks a rule gets its error and writes nothing, and
 * the others are written together with one set-based statement.
 */
export async function createLeads(tx: StoreTx, items: readonly CreateLeadsItem[]): Promise<CreateLeadsResult[]> {
  const now = new Date();
  const leads: NewLeadRow[] = [];
  const notes: LeadNoteRow[] = [];
  const events: LeadEventRow[] = [];
  const reasonIds = new Map<string, string | null>();
  const results: CreateLeadsResult[] = [];
  for (const item of items) {
    let planned: PlannedLead;
    try {
      planned = planNewLead(item.ctx, item.input, now);
    } catch (error) {
      if (error instanceof AppError) {
        results.push({ ok: false, error });
        continue;
      }
      throw error;
    }
    const text = planned.lead.data.lossReason;
    if (text) {
      if (!reasonIds.has(text)) reasonIds.set(text, await resolveLossReasonId(item.ctx.organization.id, text, tx));
      planned.lead.lossReasonId = reasonIds.get(text) ?? null;
    }
    leads.push(planned.lead);
    notes.push(...planned.notes);
    events.push(...planned.events);
    results.push({ ok: true, leadId: planned.lead.id });
  }
  await insertLeads(tx, leads, { notes, events });
  // The outbox: the batch's webhook deliveries, in the batch's transaction.
  const [first] = items;
  if (first && events.length > 0 && (await hasWebhookEndpoints(tx, first.ctx.organization))) {
    const created = await findLeadsByIds(tx, leads.map((lead) => lead.id));
    await recordWebhookEvents(tx, first.ctx, { events, notes, leads: created.map(serializeLead) });
  }
  return results;
}
