import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import { buildLeadWhere } from "@/lib/leads/list-leads";
import { serializeLead, type LeadDto } from "@/lib/leads/serialize";
import { toCsvLines, UTF8_BOM } from "./csv-format";
import type { ExportLeadsQuery } from "./schemas";

/**
 * CSV export of exactly the list's view (its filters through the list's own where-builder, its
 * sort), streamed: leads are read in keyset batches (never OFFSET, never all at once) as the
 * client reads the response, so a million leads pass through a few megabytes of memory.
 */

export const EXPORT_COLUMNS = [
  "id",
  "name",
  "email",
  "phone",
  "company",
  "source",
  "status",
  "value",
  "currency",
  "loss_reason",
  "created_at",
  "updated_at",
  "qualified_at",
  "won_at",
  "lost_at",
] as const;

const BATCH_SIZE = 1000;

export function exportRow(lead: LeadDto): (string | null)[] {
  return [
    lead.id,
    lead.name,
    lead.email,
    lead.phone,
    lead.company,
    lead.source,
    lead.status,
    lead.value === null ? null : lead.value.toFixed(2),
    lead.currency,
    lead.lossReason,
    lead.createdAt,
    lead.updatedAt,
    lead.qualifiedAt,
    lead.wonAt,
    lead.lostAt,
  ];
}

type Sort = ExportLeadsQuery["sort"];
type Row = Awaited<ReturnType<typeof prisma.lead.findMany>>[number];

function orderBy(sort: Sort): Prisma.LeadOrderByWithRelationInput[] {
  const { field, direction } = sort;
  const primary: Prisma.LeadOrderByWithRelationInput =
    field === "value" || field === "name" ? { [field]: { sort: direction, nulls: "last" } } : { [field]: direction };
  return [primary, { id: direction }];
}

/** Leads after `last` in the sort order (the list's: nulls last, then id in the same direction). */
function after(sort: Sort, last: Row): Prisma.LeadWhereInput {
  const { field, direction } = sort;
  const cmp = direction === "asc" ? "gt" : "lt";
  const idAfter: Prisma.LeadWhereInput = { id: { [cmp]: last.id } };
  const value = last[field];
  if (value === null) {
    // In the null tail: only other nulls, by id.
    return { AND: [{ [field]: null }, idAfter] };
  }
  const nullable = field === "value" || field === "name";
  const or: Prisma.LeadWhereInput[] = [{ [field]: { [cmp]: value } }, { AND: [{ [field]: value }, idAfter] }];
  if (nullable) or.push({ [field]: null });
  return { OR: or };
}

export function exportFileName(now = new Date()): string {
  return `leads-${now.toISOString().slice(0, 10)}.csv`;
}

export function exportLeadsCsv(organization: OrganizationSettings, query: ExportLeadsQuery, batchSize = BATCH_SIZE): ReadableStream<Uint8Array> {
  // Validates the filters now, so a bad filter is a 400 before the response starts.
  const where = buildLeadWhere(organization, query);
  const order = orderBy(query.sort);
  const encoder = new TextEncoder();
  let last: Row | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode((query.bom ? UTF8_BOM : "") + toCsvLines([EXPORT_COLUMNS])));
          return;
        }
        const rows = await prisma.lead.findMany({
          where: last ? { AND: [where, after(query.sort, last)] } : where,
          orderBy: order,
          take: batchSize,
        });
        if (rows.length > 0) controller.enqueue(encoder.encode(toCsvLines(rows.map((r) => exportRow(serializeLead(r))))));
        if (rows.length < batchSize) controller.close();
        last = rows.at(-1);
      },
    },
    { highWaterMark: 1 },
  );
}
