import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { rawSql } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError, validationError } from "@/lib/errors";
import { toIsoString } from "@/lib/iso-time";
import type { LeadDiff } from "./plan-update";
import { serializeLead, type LeadDto } from "./serialize";
import { findLead } from "./store";
import type { LeadEventRow } from "./store/record";

/** A lead's history is planned for each run (lib/db/client: with one generic plan, a lead with 10,000 events cost twice the database CPU). */
const read = <T extends object>(statement: Prisma.Sql): Promise<T[]> => rawSql<T>(statement, { planEachRun: true });

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

const isNewerOrSame = (x: { createdAt: Date; id: string }, c: HistoryCursor) =>
  x.createdAt.getTime() > c.at.getTime() || (x.createdAt.getTime() === c.at.getTime() && x.id >= c.id);

/** (createdAt, id) strictly before the cursor: a row comparison, read as one range of the (leadId, createdAt DESC, id DESC) index. */
const olderThan = (alias: "n" | "e", c: HistoryCursor | null) =>
  c ? Prisma.sql`AND (${Prisma.raw(`${alias}."createdAt"`)}, ${Prisma.raw(`${alias}."id"`)}) < (${c.at}, ${c.id})` : Prisma.empty;

interface NoteHistoryRow {
  id: string;
  body: string;
  authorUserId: string | null;
  authorApiKeyId: string | null;
  authorUserName: string | null;
  authorApiKeyName: string | null;
  createdAt: Date;
}

/** An event row as the store defines it, with the body of the note written with it. */
type EventHistoryRow = Omit<LeadEventRow, "organizationId" | "leadId"> & { noteBody: string | null };

/**
 * Up to HISTORY_PAGE_SIZE notes and events older than the cursor. Each is read by index, newest first, one
 * more than a page to know whether more are left; the page then ends where the first full list ends,
 * and the other list is cut there too, so the next page continues both without a gap. Two queries:
 * the notes with their authors' names, the events with the body of the note written with each
 * (shown with the event even when the note itself falls on another page).
 */
async function readHistory(leadId: string, cursor: HistoryCursor | null): Promise<LeadHistoryPage> {
  const take = HISTORY_PAGE_SIZE + 1;
  // By lead only (served by (leadId, createdAt DESC, id DESC)): the callers read the lead in the
  // organization at the same time and answer 404 before any of this is returned.
  const [notes, events] = await Promise.all([
    read<NoteHistoryRow>(Prisma.sql`
      SELECT n."id", n."body", n."authorUserId", n."authorApiKeyId", u."name" AS "authorUserName", k."name" AS "authorApiKeyName", n."createdAt"
      FROM "LeadNote" n
      LEFT JOIN "User" u ON u."id" = n."authorUserId"
      LEFT JOIN "ApiKey" k ON k."id" = n."authorApiKeyId"
      WHERE n."leadId" = ${leadId} ${olderThan("n", cursor)}
      ORDER BY n."createdAt" DESC, n."id" DESC
      LIMIT ${take}`),
    read<EventHistoryRow>(Prisma.sql`
      SELECT e."id", e."type", e."changes", e."actorType"::text AS "actorType", e."actorUserId", e."actorApiKeyId", e."actorName", e."source",
        e."requestId", e."noteId", nb."body" AS "noteBody", e."createdAt"
      FROM "LeadEvent" e
      LEFT JOIN "LeadNote" nb ON nb."id" = e."noteId" AND nb."leadId" = e."leadId"
      WHERE e."leadId" = ${leadId} ${olderThan("e", cursor)}
      ORDER BY e."createdAt" DESC, e."id" DESC
      LIMIT ${take}`),
  ]);

  // The oldest entry each full list can vouch for; the page ends at the newer of the two.
  let end: HistoryCursor | null = null;
  for (const list of [notes, events]) {
    const last = list.length === take ? list[HISTORY_PAGE_SIZE - 1] : undefined;
    if (last && (!end || isNewerOrSame(last, end))) end = { at: last.createdAt, id: last.id };
  }
  const keptNotes = end ? notes.filter((n) => isNewerOrSame(n, end)) : notes;
  const keptEvents = end ? events.filter((e) => isNewerOrSame(e, end)) : events;

  return {
    notes: keptNotes.map((n) => ({
      id: n.id,
      body: n.body,
      author: n.authorUserId
        ? { type: "user", id: n.authorUserId, name: n.authorUserName ?? "Deleted user" }
        : n.authorApiKeyId
          ? { type: "api_key", id: n.authorApiKeyId, name: n.authorApiKeyName ?? "Deleted key" }
          : { type: "system", id: null, name: "Leadline" },
      createdAt: toIsoString(n.createdAt),
    })),
    events: keptEvents.map((e) => ({
      id: e.id,
      type: e.type,
      changes: e.changes as LeadDiff,
      actor: { type: e.actorType, id: e.actorUserId ?? e.actorApiKeyId, name: e.actorName },
      source: e.source,
      requestId: e.requestId,
      note: e.noteId && e.noteBody !== null ? { id: e.noteId, body: e.noteBody } : null,
      createdAt: toIsoString(e.createdAt),
    })),
    nextCursor: end ? encodeHistoryCursor(end) : null,
  };
}

/** A lead of the organization with its newest notes and events. Another organization's lead is "not found". */
export async function getLeadOrThrow(organization: Pick<OrganizationSettings, "id">, leadId: string): Promise<LeadDetailDto> {
  const [lead, history] = await Promise.all([
    findLead(organization.id, leadId),
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
    findLead(organization.id, leadId),
    readHistory(leadId, position),
  ]);
  if (!lead) throw new AppError("NOT_FOUND", "Lead not found");
  return history;
}
