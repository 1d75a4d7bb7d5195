import { Prisma } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "./normalize";
import { planLeadUpdate } from "./plan-update";
import type { CreateLeadInput } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";

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
  const userId = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const apiKeyId = ctx.actor.type === "api_key" ? ctx.actor.apiKeyId : null;
  const noteId = input.note === undefined ? null : newId("note");

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
    if (noteId !== null && input.note !== undefined) {
      await tx.leadNote.create({
        data: { id: noteId, organizationId: ctx.organization.id, leadId, body: input.note, authorUserId: userId, authorApiKeyId: apiKeyId, createdAt: now },
      });
    }
    const initial = serializeLead(created);
    await tx.leadEvent.create({
      data: {
        id: newId("evt"),
        organizationId: ctx.organization.id,
        leadId,
        type: "created",
        changes: {
          status: { from: null, to: initial.status },
          ...(initial.value !== null ? { value: { from: null, to: initial.value } } : {}),
          ...(initial.lossReason !== null ? { lossReason: { from: null, to: initial.lossReason } } : {}),
        } satisfies Prisma.InputJsonObject,
        actorType: ctx.actor.type,
        actorUserId: userId,
        actorApiKeyId: apiKeyId,
        actorName: ctx.actor.name,
        source: ctx.source,
        requestId: ctx.requestId,
        noteId,
        createdAt: now,
      },
    });
    return created;
  });
  return serializeLead(lead);
}
