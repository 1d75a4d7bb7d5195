import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { LeadDiff } from "./plan-update";
import { serializeLead, type LeadDto } from "./serialize";

export interface ActorDto {
  type: "user" | "api_key" | "system";
  id: string | null;
  name: string;
}

export interface LeadNoteDto {
  id: string;
  body: string;
  author: ActorDto;
  createdAt: string;
}

export interface LeadEventDto {
  id: string;
  type: string;
  changes: LeadDiff;
  actor: ActorDto;
  source: string;
  requestId: string | null;
  note: { id: string; body: string } | null;
  createdAt: string;
}

export interface LeadDetailDto extends LeadDto {
  notes: LeadNoteDto[];
  events: LeadEventDto[];
}

/** A lead of the organization with its notes and events, newest first. Another organization's lead is "not found". */
export async function getLeadOrThrow(organization: Pick<OrganizationSettings, "id">, leadId: string): Promise<LeadDetailDto> {
  const lead = await prisma.lead.findFirst({
    where: { id: leadId, organizationId: organization.id },
    include: {
      notes: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        include: { authorUser: { select: { name: true } }, authorApiKey: { select: { name: true } } },
      },
      events: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    },
  });
  if (!lead) throw new AppError("NOT_FOUND", "Lead not found");

  const notesById = new Map(lead.notes.map((n) => [n.id, n]));
  return {
    ...serializeLead(lead),
    notes: lead.notes.map((n) => ({
      id: n.id,
      body: n.body,
      author: n.authorUserId
        ? { type: "user", id: n.authorUserId, name: n.authorUser?.name ?? "Deleted user" }
        : n.authorApiKeyId
          ? { type: "api_key", id: n.authorApiKeyId, name: n.authorApiKey?.name ?? "Deleted key" }
          : { type: "system", id: null, name: "Leadline" },
      createdAt: n.createdAt.toISOString(),
    })),
    events: lead.events.map((e) => {
      const note = e.noteId ? notesById.get(e.noteId) : undefined;
      return {
        id: e.id,
        type: e.type,
        changes: e.changes as LeadDiff,
        actor: { type: e.actorType, id: e.actorUserId ?? e.actorApiKeyId, name: e.actorName },
        source: e.source,
        requestId: e.requestId,
        note: note ? { id: note.id, body: note.body } : null,
        createdAt: e.createdAt.toISOString(),
      };
    }),
  };
}
