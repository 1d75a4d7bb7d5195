import type { ActorContext } from "@/lib/auth/actor";
import { newId } from "@/lib/ids";
import type { LeadDiff } from "./plan-update";
import type { JsonObject, LeadEventRow, LeadNoteRow } from "./store/record";

/**
 * The note (if any) and the audit event of one change to one lead, attributed to the actor of
 * the request. Every service that changes a lead writes its history through this.
 */
export function historyRecords(
  ctx: ActorContext,
  leadId: string,
  change: { type: "created" | "updated"; diff: LeadDiff; note?: string; at: Date },
): { note: LeadNoteRow | null; event: LeadEventRow } {
  const actorUserId = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const actorApiKeyId = ctx.actor.type === "api_key" ? ctx.actor.apiKeyId : null;
  const note =
    change.note === undefined
      ? null
      : {
          id: newId("note"),
          organizationId: ctx.organization.id,
          leadId,
          body: change.note,
          authorUserId: actorUserId,
          authorApiKeyId: actorApiKeyId,
          createdAt: change.at,
        };
  return {
    note,
    event: {
      id: newId("evt"),
      organizationId: ctx.organization.id,
      leadId,
      type: change.type,
      changes: change.diff as JsonObject,
      actorType: ctx.actor.type,
      actorUserId,
      actorApiKeyId,
      actorName: ctx.actor.name,
      source: ctx.source,
      requestId: ctx.requestId,
      noteId: note?.id ?? null,
      createdAt: change.at,
    },
  };
}
