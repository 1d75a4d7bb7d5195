import { Prisma } from "@/lib/generated/prisma/client";
import type { ActorContext } from "@/lib/auth/actor";
import { prisma, type TransactionClient } from "@/lib/db/client";
import { AppError, validationError } from "@/lib/errors";
import { normalizePhone } from "./normalize";
import { historyRecords } from "./history";
import { planLeadUpdate, type LeadUpdateData } from "./plan-update";
import type { LeadChanges, LeadMatch } from "./schemas";
import { serializeLead, type LeadDto, type LeadRecord } from "./serialize";
import { recordWebhookEvents } from "@/lib/webhooks/outbox";

export interface UpdateLeadsInput {
  match: LeadMatch;
  changes: LeadChanges;
  /** The app's forms send the version they were loaded at; a newer lead is refused (409). */
  expectedVersion?: number;
}

export interface UpdateLeadsResult {
  leadIds: string[];
  leads: LeadDto[];
  /** Leads where a field changed or a note was added. */
  changedCount: number;
  message: string;
}

const LEAD_COLUMNS = Prisma.sql`"id", "name", "email", "phone", "company", "source", "status"::text AS "status",
  "value"::text AS "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version"`;

/** Locks the matched leads in one consistent order (oldest first), so concurrent bulk updates cannot deadlock. */
async function lockMatchingLeads(tx: TransactionClient, ctx: ActorContext, match: LeadMatch): Promise<LeadRecord[]> {
  const organizationId = ctx.organization.id;
  let condition: Prisma.Sql;
  switch (match.by) {
    case "id":
      condition = Prisma.sql`"id" = ${match.id}`;
      break;
    case "email":
      condition = Prisma.sql`"emailNormalized" = ${match.email}`;
      break;
    case "phone": {
      const phone = normalizePhone(match.phone, ctx.organization.defaultPhoneCountry);
      if (!phone.ok) throw validationError([{ field: "phone", message: phone.message }]);
      condition = Prisma.sql`"phoneNormalized" = ${phone.value}`;
      break;
    }
  }
  return tx.$queryRaw<LeadRecord[]>`
    SELECT ${LEAD_COLUMNS} FROM "Lead"
    WHERE "organizationId" = ${organizationId} AND ${condition}
    ORDER BY "createdAt", "id"
    FOR UPDATE`;
}

interface PlannedWrite {
  leadId: string;
  data: LeadUpdateData;
  bumpVersion: boolean;
}

const at = (d: Date | string | undefined) => Prisma.sql`${new Date(d ?? Date.now()).toISOString()}::timestamp(3)`;

function updateStatement(write: PlannedWrite, now: Date): Prisma.Sql {
  const { data } = write;
  const sets: Prisma.Sql[] = [Prisma.sql`"updatedAt" = ${at(now)}`];
  if (data.status !== undefined) sets.push(Prisma.sql`"status" = ${data.status}::"LeadStatus"`);
  if (data.value !== undefined) sets.push(Prisma.sql`"value" = ${data.value}::numeric`);
  if (data.lossReason !== undefined) sets.push(Prisma.sql`"lossReason" = ${data.lossReason}`);
  if (data.qualifiedAt) sets.push(Prisma.sql`"qualifiedAt" = ${at(data.qualifiedAt)}`);
  if (data.wonAt) sets.push(Prisma.sql`"wonAt" = ${at(data.wonAt)}`);
  if (data.lostAt) sets.push(Prisma.sql`"lostAt" = ${at(data.lostAt)}`);
  if (write.bumpVersion) sets.push(Prisma.sql`"version" = "version" + 1`);
  return Prisma.sql`UPDATE "Lead" SET ${Prisma.join(sets, ", ")} WHERE "id" = ${write.leadId} RETURNING ${LEAD_COLUMNS}`;
}

/**
 * Writes the planned changes of the locked leads, their notes and their events in ONE statement
 * (data-modifying CTEs), and returns the leads as stored. Raw SQL on purpose: this is the hot path
 * of every PATCH, and one raw statement replaces five compiled client queries and their round
 * trips (docs/performance.md). The rules themselves stay in planLeadUpdate and historyRecords.
 */
async function writeChanges(
  tx: TransactionClient,
  writes: PlannedWrite[],
  notes: Prisma.LeadNoteCreateManyInput[],
  events: Prisma.LeadEventCreateManyInput[],
  now: Date,
): Promise<Map<string, LeadRecord>> {
  const ctes = writes.map((write, i) => Prisma.sql`${Prisma.raw(`"u${i}"`)} AS (${updateStatement(write, now)})`);
  if (notes.length > 0) {
    const rows = notes.map(
      (n) => Prisma.sql`(${n.id}, ${n.organizationId}, ${n.leadId}, ${n.body}, ${n.authorUserId ?? null}, ${n.authorApiKeyId ?? null}, ${at(n.createdAt)})`,
    );
    ctes.push(Prisma.sql`"notes" AS (
      INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "authorUserId", "authorApiKeyId", "createdAt")
      VALUES ${Prisma.join(rows, ", ")})`);
  }
  if (events.length > 0) {
    const rows = events.map(
      (e) => Prisma.sql`(${e.id}, ${e.organizationId}, ${e.leadId}, ${e.type}, ${JSON.stringify(e.changes)}::jsonb,
        ${e.actorType}::"ActorType", ${e.actorUserId ?? null}, ${e.actorApiKeyId ?? null}, ${e.actorName}, ${e.source},
        ${e.requestId ?? null}, ${e.noteId ?? null}, ${at(e.createdAt)})`,
    );
    ctes.push(Prisma.sql`"events" AS (
      INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId",
        "actorApiKeyId", "actorName", "source", "requestId", "noteId", "createdAt")
      VALUES ${Prisma.join(rows, ", ")})`);
  }
  const selects = writes.map((_, i) => Prisma.raw(`SELECT * FROM "u${i}"`));
  const rows = await tx.$queryRaw<LeadRecord[]>`WITH ${Prisma.join(ctes, ", ")} ${Prisma.join(selects, " UNION ALL ")}`;
  return new Map(rows.map((row) => [row.id, row]));
}

function describe(changed: number, matched: number): string {
  if (changed === 0) return matched === 1 ? "Lead matched; nothing to change" : `${matched} leads matched; nothing to change`;
  return matched === 1 ? "Lead updated" : `${changed} of ${matched} leads updated`;
}

/**
 * Updates the leads that `match` finds in the caller's organization: the one implementation behind
 * PATCH /api/leads and the app's lead form. In one transaction it matches (locking the rows),
 * applies the conflict rule, updates, appends the note and writes one event per changed lead.
 */
export async function updateLeads(ctx: ActorContext, input: UpdateLeadsInput): Promise<UpdateLeadsResult> {
  return withTransactionRetry(() =>
    prisma.$transaction(
      async (tx) => {
        const matched = await lockMatchingLeads(tx, ctx, input.match);
        if (matched.length === 0) throw new AppError("NOT_FOUND", "No lead matches the given identifier");
        if (matched.length > 1 && !ctx.organization.allowBulkUpdates) {
          throw new AppError(
            "CONFLICT",
            `${matched.length} leads match this ${input.match.by}; identify one lead by id, or let an admin allow bulk updates`,
            { matchCount: matched.length },
          );
        }
        const [first] = matched;
        if (input.expectedVersion !== undefined && first && first.version !== input.expectedVersion) {
          throw new AppError("CONFLICT", "This lead was changed by someone else since you opened it", {
            reason: "STALE_VERSION",
            expectedVersion: input.expectedVersion,
            lead: serializeLead(first),
          });
        }

        const now = new Date();
        const note = input.changes.note;
        const notes: Prisma.LeadNoteCreateManyInput[] = [];
        const events: Prisma.LeadEventCreateManyInput[] = [];

        const writes: PlannedWrite[] = [];
        for (const lead of matched) {
          const { data, diff } = planLeadUpdate(lead, input.changes, now);
          const fieldsChanged = Object.keys(diff).length > 0;
          if (!fieldsChanged && note === undefined) continue;
          // A note alone touches updatedAt (last activity) but not the version: it overwrites nothing.
          writes.push({ leadId: lead.id, data, bumpVersion: fieldsChanged });
          const history = historyRecords(ctx, lead.id, { type: "updated", diff, note, at: now });
          if (history.note) notes.push(history.note);
          events.push(history.event);
        }
        const written = writes.length > 0 ? await writeChanges(tx, writes, notes, events, now) : new Map<string, LeadRecord>();
        const leads = matched.map((lead) => serializeLead(written.get(lead.id) ?? lead));
        await recordWebhookEvents(tx, ctx, { events, notes, leads });

        return {
          leadIds: leads.map((l) => l.id),
          leads,
          changedCount: events.length,
          message: describe(events.length, matched.length),
        };
      },
      { maxWait: 15_000, timeout: 30_000 },
    ),
  );
}

/** Deadlocks and serialization failures (P2034) are safe to retry: the whole transaction rolled back. */
export async function withTransactionRetry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const retryable = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2034";
      if (!retryable || attempt >= attempts) throw error;
    }
  }
}
