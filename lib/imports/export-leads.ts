import "server-only";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { leadsInBatches } from "@/lib/leads/list-leads";
import { leadFilterSql } from "@/lib/leads/list-query";
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

export function exportFileName(now = new Date()): string {
  return `leads-${now.toISOString().slice(0, 10)}.csv`;
}

export function exportLeadsCsv(organization: OrganizationSettings, query: ExportLeadsQuery, batchSize = BATCH_SIZE): ReadableStream<Uint8Array> {
  // The list's own filter and keyset reads. Building the filter validates it now, so a bad filter
  // is a 400 before the response starts.
  leadFilterSql(organization, query);
  const batches = leadsInBatches(organization, query, batchSize);
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode((query.bom ? UTF8_BOM : "") + toCsvLines([EXPORT_COLUMNS])));
          return;
        }
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(toCsvLines(next.value.map((lead) => exportRow(serializeLead(lead))))));
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
