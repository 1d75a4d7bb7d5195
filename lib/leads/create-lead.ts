import "server-only";
import type { ActorContext } from "@/lib/auth/actor";
import { validationError } from "@/lib/errors";
import { resolveLossReasonId } from "@/lib/loss-reasons/loss-reasons";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "./normalize";
import { historyRecords } from "./history";
import { planLeadUpdate } from "./plan-update";
import type { CreateLeadInput } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";
import { inTransaction, insertLead } from "./store";
import { recordWebhookEvents } from "@/lib/webhooks/outbox";

/**
 * Creates a lead in the caller's organization with the same field rules as an update, its first
 * note and a "created" event, in one transaction. Duplicates by e-mail are allowed on purpose.
 */
export async function createLead(ctx: ActorContext, input: CreateLeadInput): Promise<LeadDto> {
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (email && !email.ok) throw validationError([{ field: "email", message: email.message }]);
  const phone = input.phone === undefined ? null : normalizePhone(input.phone, ctx.organization.defaultPhoneCountry);
  if (phone && !phone.ok) throw validationError([{ field: "phone", message: phone.message }]);

  const now = new Date();
  // A new lead starts open and empty; the requested status and value are applied as a change so
  // that timestamps and the loss-reason rule work exactly as for an update.
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

  const lead = await inTransaction(async (tx) => {
    // A loss reason that matches a managed one (case-insensitive, trimmed) links to it; other text is "Other".
    const lossReasonId = data.lossReason ? await resolveLossReasonId(ctx.organization.id, data.lossReason, tx) : null;
    const created = await insertLead(
      tx,
      {
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
        lossReasonId,
        createdAt: now,
      },
      { notes: note ? [note] : [], events: [event] },
    );
    // The outbox: the new lead's webhook deliveries, in its own transaction.
    await recordWebhookEvents(tx, ctx, { events: [event], notes: note ? [note] : [], leads: [serializeLead(created)] });
    return created;
  });
  return serializeLead(lead);
}
