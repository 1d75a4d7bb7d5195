import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ActorContext, OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { leadFilterSql } from "@/lib/leads/list-query";
import { LEAD_STATUSES, type LeadStatusValue } from "@/lib/leads/normalize";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { serializeLead, type LeadDto } from "@/lib/leads/serialize";
import { leadRecordFromRow, type LeadRow } from "@/lib/leads/store/record";
import { LEAD_COLUMNS } from "@/lib/leads/store/sql";
import { updateLeads } from "@/lib/leads/update-leads";
import { PIPELINE_PAGE_SIZE, type MoveLeadInput, type PipelineQuery } from "./schemas";

/**
 * The pipeline board: one column per status with its count and total value, and the newest cards
 * of each column, 50 at a time (keyset pagination on createdAt, id: the list index serves it at
 * any depth). Moving a card is a status change through the one update service (updateLeads), with
 * the version the board showed, so a stale card is refused exactly like a stale lead form.
 */

export interface PipelineColumn {
  status: LeadStatusValue;
  count: number;
  value: number;
  cards: LeadDto[];
  nextCursor: string | null;
}

export interface PipelineBoard {
  columns: PipelineColumn[];
  sources: string[];
  currency: string;
}

function filterWhere(organization: OrganizationSettings, query: PipelineQuery): Prisma.Sql {
  // The list's filter and search rules (name, e-mail, phone digits), so the board finds what the list finds.
  const where = leadFilterSql(organization, listLeadsQuerySchema.parse({ search: query.search }));
  return query.source !== undefined ? Prisma.sql`${where} AND "source" = ${query.source}` : where;
}

const encodeCursor = (lead: { createdAt: Date; id: string }) => Buffer.from(`${lead.createdAt.toISOString()}|${lead.id}`).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) throw validationError([{ field: "cursor", message: "is not a cursor this board gave out" }]);
  return { createdAt, id };
}

async function columnCards(where: Prisma.Sql, status: LeadStatusValue, cursor?: string): Promise<{ cards: LeadDto[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor) : null;
  const afterSql = after ? Prisma.sql` AND ("createdAt", "id") < (${after.createdAt}::timestamp(3), ${after.id})` : Prisma.empty;
  const rows = (
    await prisma.$queryRaw<LeadRow[]>`SELECT ${Prisma.raw(LEAD_COLUMNS)} FROM "Lead"
      WHERE ${where} AND "status" = ${status}::"LeadStatus"${afterSql}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${PIPELINE_PAGE_SIZE + 1}`
  ).map(leadRecordFromRow);
  const page = rows.slice(0, PIPELINE_PAGE_SIZE);
  const last = page[page.length - 1];
  return { cards: page.map(serializeLead), nextCursor: rows.length > PIPELINE_PAGE_SIZE && last ? encodeCursor(last) : null };
}

/** The organization's distinct lead sources, by a skip scan of the (organizationId, source) index. */
async function distinctSources(organizationId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ source: string }[]>`
    WITH RECURSIVE s AS (
      (SELECT "source" FROM "Lead" WHERE "organizationId" = ${organizationId} ORDER BY "source" LIMIT 1)
      UNION ALL
      SELECT (SELECT "source" FROM "Lead" WHERE "organizationId" = ${organizationId} AND "source" > s."source" ORDER BY "source" LIMIT 1)
      FROM s WHERE s."source" IS NOT NULL
    )
    SELECT "source" FROM s WHERE "source" IS NOT NULL LIMIT 100`;
  return rows.map((r) => r.source);
}

export async function getPipelineBoard(organization: OrganizationSettings, query: PipelineQuery): Promise<PipelineBoard> {
  const where = filterWhere(organization, query);
  const [totals, sources, ...columns] = await Promise.all([
    prisma.$queryRaw<{ status: string; count: number; value: string }[]>`
      SELECT "status"::text AS "status", count(*)::int AS "count", coalesce(sum("value"), 0)::text AS "value"
      FROM "Lead" WHERE ${where} GROUP BY "status"`,
    distinctSources(organization.id),
    ...LEAD_STATUSES.map((status) => columnCards(where, status)),
  ]);
  return {
    columns: LEAD_STATUSES.map((status, i) => {
      const total = totals.find((t) => t.status === status);
      const column = columns[i] ?? { cards: [], nextCursor: null };
      return { status, count: total?.count ?? 0, value: Number(total?.value ?? 0), ...column };
    }),
    sources,
    currency: organization.currency,
  };
}

/** The next cards of one column, after `cursor`. */
export async function getPipelineCards(organization: OrganizationSettings, query: PipelineQuery & { status: LeadStatusValue }) {
  return columnCards(filterWhere(organization, query), query.status, query.cursor);
}

/** Moves a card: a status change (and the loss reason when lost) through updateLeads, refused when stale. */
export async function moveLead(ctx: ActorContext, input: MoveLeadInput): Promise<LeadDto> {
  const result = await updateLeads(ctx, {
    match: { by: "id", id: input.leadId },
    changes: { status: input.status, ...(input.status === "lost" && input.lossReason !== undefined ? { lossReason: input.lossReason } : {}) },
    expectedVersion: input.expectedVersion,
  });
  const [lead] = result.leads;
  if (!lead) throw new Error("updateLeads returned no lead for a match by id");
  return lead;
}
