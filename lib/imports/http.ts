import "server-only";
import { exportFileName, exportLeadsCsv } from "./export-leads";
import { failedRowsCsv, toImportDto } from "./imports";
import type { ImportReply } from "./replies";
import type { ImportRecord } from "./store";
import type { OrganizationSettings } from "@/lib/auth/actor";
import type { ExportLeadsQuery } from "./schemas";
import { csvResponseHeaders } from "./upload";

/** Replies shared by the API-key routes and the app's session routes (transport only). */

export function exportResponse(organization: OrganizationSettings, query: ExportLeadsQuery): Response {
  return new Response(exportLeadsCsv(organization, query), { status: 200, headers: csvResponseHeaders(exportFileName()) });
}

export async function failedRowsResponse(organization: OrganizationSettings, importId: string): Promise<Response> {
  const { record, stream } = await failedRowsCsv(organization, importId);
  const base = record.fileName.replace(/\.csv$/i, "");
  return new Response(stream, { status: 200, headers: csvResponseHeaders(`${base}-failed-rows.csv`) });
}

/** An import with the links of its report. */
export function importReply(record: ImportRecord, basePath: string): ImportReply {
  return {
    ...toImportDto(record),
    links: { self: `${basePath}/${record.id}`, failedRows: `${basePath}/${record.id}/failed-rows` },
  };
}
