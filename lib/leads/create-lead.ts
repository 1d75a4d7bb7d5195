import type { ActorContext } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "./normalize";
import { historyRecords } from "./history";
import { planLeadUpdate } from "./plan-update";
import type { CreateLeadInput } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";
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
  const { data } = planLeadUpdate(
    { status: "open", value: null, lossReason: null, qualifiedAt: null },
    { status: input.status, value: input.value, lossReason: input.lossReason },
    now,
  );
  const leadId = newId("lead");

  const lead = await prisma.$transaction(async (tx) => {
    const created = await tx.lead.create({
      data: {
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
        ...data,
        createdAt: now,
      },
    });
    const initial = serializeLead(created);
    const { note, event } = historyRecords(ctx, leadId, {
      type: "created",
      diff: {
        status: { from: null, to: initial.status },
        ...(initial.value !== null ? { value: { from: null, to: initial.value } } : {}),
        ...(initial.lossReason !== null ? { lossReason: { from: null, to: initial.lossReason } } : {}),
      },
      note: input.note,
      at: now,
    });
    if (note) await tx.leadNote.create({ data: note });
    await tx.leadEvent.create({ data: event });
    await recordWebhookEvents(tx, ctx, { events: [event], notes: note ? [note] : [], leads: [initial] });
    return created;
  });
  return serializeLead(lead);
}
