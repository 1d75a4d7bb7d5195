import "server-only";
import type { ActorContext, OrganizationSettings } from "@/lib/auth/actor";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "@/lib/leads/normalize";
import { toCsvLines } from "./csv-format";
import { queueImportJob } from "./queue";
import { LEASE_SECONDS } from "./run-import";
import { mappingToHeaders, readStoredMapping, resolveMapping, suggestMapping, type ColumnMapping } from "./mapping";
import type { CreateImportQuery, ImportField, ImportMappingInput, ImportMode, RunImportBody } from "./schemas";
import {
  deleteImport,
  failedRows,
  findImport,
  firstRows,
  insertImport,
  insertRows,
  queueDraft,
  recentImports,
  setTotalRows,
  type ImportRecord,
} from "./store";
import { parseCsvStream } from "./upload";
import { checkRow, mapRow } from "./validate-row";
import { leadsByEmails } from "./lookup";

/**
 * CSV import, the service behind the API (POST /api/leads/imports, GET /api/leads/imports/{id})
 * and the app's import page: upload (a draft with its rows), preview, start (a background job),
 * progress and report.
 */

export const PREVIEW_ROWS = 20;

export interface ImportDto {
  id: string;
  fileName: string;
  status: ImportRecord["status"];
  mode: ImportMode;
  headers: string[];
  /** Lead field -> column header. */
  mapping: Partial<Record<ImportField, string>>;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  failed: number;
  /** Why the import as a whole failed; failed rows have their own reasons in the report. */
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function headersOf(record: ImportRecord): string[] {
  return Array.isArray(record.headers) ? record.headers.map(String) : [];
}

export function toImportDto(record: ImportRecord): ImportDto {
  const headers = headersOf(record);
  return {
    id: record.id,
    fileName: record.fileName,
    status: record.status,
    mode: record.mode,
    headers,
    mapping: record.mapping ? mappingToHeaders(readStoredMapping(record.mapping), headers) : mappingToHeaders(suggestMapping(headers), headers),
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    created: record.createdCount,
    updated: record.updatedCount,
    failed: record.failedCount,
    error: record.error,
    createdBy: record.actorName,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

/** Streams the CSV body into a draft import: its header and every row, stored in PostgreSQL. */
export async function uploadImport(ctx: ActorContext, body: ReadableStream<Uint8Array> | null, fileName: string): Promise<ImportRecord> {
  const csv = await parseCsvStream(body);
  const id = newId("imp");
  await insertImport({ id, organizationId: ctx.organization.id, fileName, headers: csv.headers, actor: ctx.actor });
  try {
    let total = 0;
    for await (const batch of csv.rows) {
      await insertRows(id, total + 1, batch);
      total += batch.length;
    }
    if (total === 0) throw validationError([{ field: "", message: "The file has a header line but no rows to import" }]);
    await setTotalRows(id, total);
  } catch (error) {
    await deleteImport(id);
    throw error;
  }
  const record = await findImport(ctx.organization.id, id);
  if (!record) throw new AppError("NOT_FOUND", "The import was not found");
  return record;
}

async function getRecord(organizationId: string, importId: string): Promise<ImportRecord> {
  const record = await findImport(organizationId, importId);
  if (!record) throw new AppError("NOT_FOUND", "No import with this id in your organization");
  return record;
}

export interface PreviewRow {
  rowNumber: number;
  /** The values as they will be stored. */
  values: Partial<Record<ImportField, string | null>>;
  /** What the row will do: create, update (its e-mail matches a lead), or fail with errors. */
  action: "create" | "update" | "error";
  errors: { field: string; message: string }[];
  message: string | null;
}

function storedValues(row: ReturnType<typeof mapRow>, check: ReturnType<typeof checkRow>, organization: OrganizationSettings): PreviewRow["values"] {
  if (!check.ok) return { ...row };
  const input = check.input;
  const phone = input.phone === undefined ? undefined : normalizePhone(input.phone, organization.defaultPhoneCountry);
  return {
    name: input.name ?? null,
    email: input.email ?? null,
    phone: phone?.ok ? phone.value : (input.phone ?? null),
    company: input.company ?? null,
    value: input.value ?? null,
    status: input.status ?? "open",
    source: input.source ?? "import",
    lossReason: input.status === "lost" ? (input.lossReason ?? null) : null,
    note: input.note ?? null,
  };
}

/** The first rows as they will be stored, with each row's errors (the API's rules and messages). */
export async function previewImport(ctx: ActorContext, importId: string, body: RunImportBody): Promise<{ mapping: ColumnMapping; rows: PreviewRow[] }> {
  const record = await getRecord(ctx.organization.id, importId);
  const mapping = resolveMapping(body.mapping, headersOf(record));
  const rows = await firstRows(importId, PREVIEW_ROWS);
  const mapped = rows.map((r) => ({ rowNumber: r.rowNumber, row: mapRow(r.cells, mapping) }));
  const checks = mapped.map((m) => checkRow(m.row, ctx.organization));
  let existing = new Set<string>();
  if (body.mode === "update") {
    const emails = checks.flatMap((c) => (c.ok && c.input.email ? [normalizeEmail(c.input.email)] : [])).flatMap((e) => (e.ok ? [e.value] : []));
    existing = await leadsByEmails(ctx.organization.id, emails);
  }
  return {
    mapping,
    rows: mapped.map(({ rowNumber, row }, i) => {
      const check = checks[i]!;
      const email = check.ok && check.input.email ? normalizeEmail(check.input.email) : null;
      const action = !check.ok ? "error" : email?.ok && existing.has(email.value) ? "update" : "create";
      return {
        rowNumber,
        values: storedValues(row, check, ctx.organization),
        action,
        errors: check.ok ? [] : check.issues,
        message: check.ok ? null : check.message,
      };
    }),
  };
}

/** Starts a draft import in the background with the chosen mode and mapping. */
export async function startImport(ctx: ActorContext, importId: string, body: RunImportBody): Promise<ImportRecord> {
  const record = await getRecord(ctx.organization.id, importId);
  const mapping = resolveMapping(body.mapping, headersOf(record));
  if (!(await queueDraft(importId, body.mode, mapping))) {
    throw new AppError("CONFLICT", "This import has already been started", { status: record.status });
  }
  await queueImportJob(importId);
  return getRecord(ctx.organization.id, importId);
}

/** The API's one call: upload, map (given or recognised), start. */
export async function createImport(ctx: ActorContext, body: ReadableStream<Uint8Array> | null, query: CreateImportQuery): Promise<ImportRecord> {
  const draft = await uploadImport(ctx, body, query.fileName);
  try {
    const headers = headersOf(draft);
    const mapping: ImportMappingInput = query.mapping ?? mappingToHeaders(suggestMapping(headers), headers);
    return await startImport(ctx, draft.id, { mode: query.mode, mapping });
  } catch (error) {
    await deleteImport(draft.id);
    throw error;
  }
}

/**
 * An import's progress and counts. An import that is queued or running but that no live worker
 * holds (its process died) is queued again here, so a restarted server resumes it when looked at.
 */
export async function getImport(organization: OrganizationSettings, importId: string): Promise<ImportRecord> {
  const record = await getRecord(organization.id, importId);
  const leaseExpired = record.status === "running" && (!record.leaseUntil || record.leaseUntil.getTime() < Date.now());
  const neverTaken = record.status === "queued" && !record.leaseUntil && (record.queuedAt?.getTime() ?? 0) < Date.now() - LEASE_SECONDS * 1000;
  if (leaseExpired || neverTaken) await queueImportJob(importId);
  return record;
}

export async function listImports(organization: OrganizationSettings): Promise<ImportRecord[]> {
  return recentImports(organization.id, 10);
}

/**
 * The failed rows as CSV, streamed: the file's own columns, then the row number and the reason,
 * so the rows can be fixed and imported again.
 */
export async function failedRowsCsv(organization: OrganizationSettings, importId: string): Promise<{ record: ImportRecord; stream: ReadableStream<Uint8Array> }> {
  const record = await getRecord(organization.id, importId);
  const headers = headersOf(record);
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(toCsvLines([[...headers, "import_row", "import_error"]])));
        return;
      }
      const rows = await failedRows(importId, after, 1000);
      if (rows.length === 0) return controller.close();
      after = rows.at(-1)!.rowNumber;
      const lines = rows.map((r) => [...headers.map((_, i) => (typeof r.cells[i] === "string" ? (r.cells[i] as string) : "")), r.rowNumber, r.error]);
      controller.enqueue(encoder.encode(toCsvLines(lines)));
    },
  });
  return { record, stream };
}
