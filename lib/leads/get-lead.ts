import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { AppError, validationError } from "@/lib/errors";
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

/**
 * One page of a lead's history, newest first: notes and events of one stretch of time, complete
 * within it. `nextCursor` reads the stretch before it (null when nothing older is left).
 */
export interface LeadHistoryPage {
  notes: LeadNoteDto[];
  events: LeadEventDto[];
  nextCursor: string | null;
}

export interface LeadDetailDto extends LeadDto {
  /** The newest notes (at most HISTORY_PAGE_SIZE). */
  notes: LeadNoteDto[];
  /** The newest events (at most HISTORY_PAGE_SIZE). */
  events: LeadEventDto[];
  /** Cursor for GET /api/leads/{id}/history: the older notes and events; null when there are none. */
  historyCursor: string | null;
}

export const HISTORY_PAGE_SIZE = 50;

interface HistoryCursor {
  at: Date;
  id: string;
}

function encodeHistoryCursor(c: HistoryCursor): string {
  return Buffer.from(JSON.stringify({ t: c.at.toISOString(), i: c.id }), "utf8").toString("base64url");
}

function decodeHistoryCursor(raw: string): HistoryCursor {
  const invalid = validationError([{ field: "cursor", message: "is not a history cursor; start again without it" }]);
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { t?: unknown; i?: unknown };
    if (typeof parsed.t !== "string" || typeof parsed.i !== "string" || parsed.i.length > 200) throw invalid;
    const at = new Date(parsed.t);
    if (Number.isNaN(at.getTime())) throw invalid;
    return { at, id: parsed.i };
  } catch {
    throw invalid;
  }
}

/** (createdAt, id) strictly before the cursor, in the form an index on (leadId, createdAt DESC, id DESC) serves as a range. */
const olderThan = (c: HistoryCursor | null) =>
  c ? { createdAt: { lte: c.at }, OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] } : {};

const newestFirst = [{ createdAt: "desc" as const }, { id: "desc" as const }];

const isNewerOrSame = (x: { createdAt: Date; id: string }, c: HistoryCursor) =>
  x.createdAt.getTime() > c.at.getTime() || (x.createdAt.getTime() === c.at.getTime() && x.id >= c.id);

/**
 * Up to HISTORY_PAGE_SIZE notes and events older than the cursor. Each is read by index, newest first, one
 * more than a page to know whether more are left; the page then ends where the first full list ends,
 * and the other list is cut there too, so the next page continues both without a gap.
 */
async function readHistory(leadId: string, cursor: HistoryCursor | null): Promise<LeadHistoryPage> {
  const take = HISTORY_PAGE_SIZE + 1;
  // By lead only (served by (leadId, createdAt DESC, id DESC)): the callers read the lead in the
  // organization at the same time and answer 404 before any of this is returned.
  const [notes, events] = await Promise.all([
    prisma.leadNote.findMany({
      where: { leadId, ...olderThan(cursor) },
      orderBy: newestFirst,
      take,
      include: { authorUser: { select: { name: true } }, authorApiKey: { select: { name: true } } },
    }),
    prisma.leadEvent.findMany({ where: { leadId, ...olderThan(cursor) }, orderBy: newestFirst, take }),
  ]);

  // The oldest entry each full list can vouch for; the page ends at the newer of the two.
  let end: HistoryCursor | null = null;
  for (const list of [notes, events]) {
    const last = list.length === take ? list[HISTORY_PAGE_SIZE - 1] : undefined;
    if (last && (!end || isNewerOrSame(last, end))) end = { at: last.createdAt, id: last.id };
  }
  const keptNotes = end ? notes.filter((n) => isNewerOrSame(n, end)) : notes;
  const keptEvents = end ? events.filter((e) => isNewerOrSame(e, end)) : events;

  // The note written with an event is shown with it, even when the note itself falls on another page.
  const noteBodies = new Map(notes.map((n) => [n.id, n.body]));
  const missing = keptEvents.map((e) => e.noteId).filter((id): id is string => id !== null && !noteBodies.has(id));
  if (missing.length > 0) {
    const extra = await prisma.leadNote.findMany({ where: { id: { in: missing }, leadId }, select: { id: true, body: true } });
    for (const n of extra) noteBodies.set(n.id, n.body);
  }

  return {
    notes: keptNotes.map((n) => ({
      id: n.id,
      body: n.body,
      author: n.authorUserId
        ? { type: "user", id: n.authorUserId, name: n.authorUser?.name ?? "Deleted user" }
        : n.authorApiKeyId
          ? { type: "api_key", id: n.authorApiKeyId, name: n.authorApiKey?.name ?? "Deleted key" }
          : { type: "system", id: null, name: "Leadline" },
      createdAt: n.createdAt.toISOString(),
    })),
    events: keptEvents.map((e) => {
      const body = e.noteId ? noteBodies.get(e.noteId) : undefined;
      return {
        id: e.id,
        type: e.type,
        changes: e.changes as LeadDiff,
        actor: { type: e.actorType, id: e.actorUserId ?? e.actorApiKeyId, name: e.actorName },
        source: e.source,
        requestId: e.requestId,
        note: e.noteId && body !== undefined ? { id: e.noteId, body } : null,
        createdAt: e.createdAt.toISOString(),
      };
    }),
    nextCursor: end ? encodeHistoryCursor(end) : null,
  };
}

/** A lead of the organization with its newest notes and events. Another organization's lead is "not found". */
export async function getLeadOrThrow(organization: Pick<OrganizationSettings, "id">, leadId: string): Promise<LeadDetailDto> {
  const [lead, history] = await Promise.all([
    prisma.lead.findFirst({ where: { id: leadId, organizationId: organization.id } }),
    readHistory(leadId, null),
  ]);
  if (!lead) throw new AppError("NOT_FOUND", "Lead not found");
  return { ...serializeLead(lead), notes: history.notes, events: history.events, historyCursor: history.nextCursor };
}

/** The lead's notes and events before the cursor (the newest when there is none). */
export async function getLeadHistoryOrThrow(
  organization: Pick<OrganizationSettings, "id">,
  leadId: string,
  cursor: string | undefined,
): Promise<LeadHistoryPage> {
  const position = cursor ? decodeHistoryCursor(cursor) : null;
  const [lead, history] = await Promise.all([
    prisma.lead.findFirst({ where: { id: leadId, organizationId: organization.id }, select: { id: true } }),
    readHistory(leadId, position),
  ]);
  if (!lead) throw new AppError("NOT_FOUND", "Lead not found");
  return history;
}
