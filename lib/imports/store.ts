import "server-only";
import { Prisma, type LeadImport } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import { sqlTransaction, type SqlTx } from "@/lib/db/sql-tx";
import type { Actor } from "@/lib/auth/actor";
import type { ColumnMapping } from "./mapping";
import type { ImportMode } from "./schemas";

/**
 * The one store of the import tables (LeadImport, LeadImportRow): every read and write of them is
 * here. Progress counters live on the import row and move in the same transaction as the outcomes
 * of the rows they count, so a resumed job always continues from a consistent state.
 */

export type ImportRecord = LeadImport;

export type RowOutcome = { rowNumber: number; outcome: "created" | "updated"; leadId: string } | { rowNumber: number; outcome: "failed"; error: string };

export interface PendingRow {
  rowNumber: number;
  cells: unknown[];
}

export async function insertImport(data: {
  id: string;
  organizationId: string;
  fileName: string;
  headers: string[];
  actor: Actor;
}): Promise<void> {
  await prisma.leadImport.create({
    data: {
      id: data.id,
      organizationId: data.organizationId,
      fileName: data.fileName,
      headers: data.headers,
      actorType: data.actor.type,
      actorUserId: data.actor.type === "user" ? data.actor.userId : null,
      actorApiKeyId: data.actor.type === "api_key" ? data.actor.apiKeyId : null,
      actorName: data.actor.name,
    },
  });
}

/** Appends data rows numbered from `firstRowNumber`, in one statement. */
export async function insertRows(importId: string, firstRowNumber: number, rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO "LeadImportRow" ("importId", "rowNumber", "cells")
    SELECT ${importId}, ${firstRowNumber - 1}::int + t.ord::int, t.cells
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS t(cells, ord)`;
}

export async function setTotalRows(importId: string, totalRows: number): Promise<void> {
  await prisma.leadImport.update({ where: { id: importId }, data: { totalRows } });
}

export async function deleteImport(importId: string): Promise<void> {
  await prisma.leadImport.deleteMany({ where: { id: importId } });
}

export async function findImport(organizationId: string, importId: string): Promise<ImportRecord | null> {
  return prisma.leadImport.findFirst({ where: { id: importId, organizationId } });
}

export async function findImportById(importId: string): Promise<ImportRecord | null> {
  return prisma.leadImport.findUnique({ where: { id: importId } });
}

export async function recentImports(organizationId: string, limit: number): Promise<ImportRecord[]> {
  return prisma.leadImport.findMany({
    where: { organizationId, status: { not: "draft" } },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
}

export async function firstRows(importId: string, limit: number): Promise<PendingRow[]> {
  const rows = await prisma.leadImportRow.findMany({
    where: { importId },
    orderBy: { rowNumber: "asc" },
    take: limit,
    select: { rowNumber: true, cells: true },
  });
  return rows.map((r) => ({ rowNumber: r.rowNumber, cells: Array.isArray(r.cells) ? r.cells : [] }));
}

/** A draft becomes queued once, with its mode and mapping; false when it was not a draft any more. */
export async function queueDraft(importId: string, mode: ImportMode, mapping: ColumnMapping): Promise<boolean> {
  const { count } = await prisma.leadImport.updateMany({
    where: { id: importId, status: "draft" },
    data: { status: "queued", mode, mapping, queuedAt: new Date() },
  });
  return count === 1;
}

/**
 * Takes the import for this worker when nobody holds it (or the holder's lease ran out: its
 * process died). Returns null when it is finished or held by a live worker.
 */
export async function claimLease(importId: string, owner: string, seconds: number): Promise<ImportRecord | null> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "LeadImport"
    SET "status" = 'running', "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${seconds}),
        "attempts" = "attempts" + 1, "startedAt" = coalesce("startedAt", now()), "updatedAt" = now()
    WHERE "id" = ${importId} AND "status" IN ('queued', 'running')
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now() OR "leaseOwner" = ${owner})
    RETURNING "id"`;
  return rows.length === 1 ? findImportById(importId) : null;
}

export async function pendingRows(importId: string, limit: number): Promise<PendingRow[]> {
  const rows = await prisma.leadImportRow.findMany({
    where: { importId, outcome: null },
    orderBy: { rowNumber: "asc" },
    take: limit,
    select: { rowNumber: true, cells: true },
  });
  return rows.map((r) => ({ rowNumber: r.rowNumber, cells: Array.isArray(r.cells) ? r.cells : [] }));
}

/**
 * Records a batch's outcomes, moves the counters and renews the lease in one transaction.
 * Returns false (and records nothing) when this worker no longer holds the lease.
 */
export async function recordOutcomes(importId: string, owner: string, leaseSeconds: number, outcomes: readonly RowOutcome[]): Promise<boolean> {
  if (outcomes.length === 0) return true;
  return sqlTransaction((tx) => recordOutcomesIn(tx, importId, owner, leaseSeconds, outcomes));
}

/**
 * recordOutcomes in the caller's transaction (the one that wrote the rows' lead changes, so a
 * row's change and its outcome commit together). Returns false when this worker no longer holds
 * the lease: the caller must then roll its transaction back.
 */
export async function recordOutcomesIn(tx: SqlTx, importId: string, owner: string, leaseSeconds: number, outcomes: readonly RowOutcome[]): Promise<boolean> {
  if (outcomes.length === 0) return true;
  const created = outcomes.filter((o) => o.outcome === "created").length;
  const updated = outcomes.filter((o) => o.outcome === "updated").length;
  const failed = outcomes.filter((o) => o.outcome === "failed").length;
  const payload = outcomes.map((o) => ({
    rowNumber: o.rowNumber,
    outcome: o.outcome,
    leadId: o.outcome === "failed" ? null : o.leadId,
    error: o.outcome === "failed" ? o.error : null,
  }));
  const held = await tx.execute(
    `UPDATE "LeadImport"
    SET "processedRows" = "processedRows" + $1, "createdCount" = "createdCount" + $2,
        "updatedCount" = "updatedCount" + $3, "failedCount" = "failedCount" + $4,
        "leaseUntil" = now() + make_interval(secs => $5), "updatedAt" = now()
    WHERE "id" = $6 AND "leaseOwner" = $7 AND "status" = 'running'`,
    [outcomes.length, created, updated, failed, leaseSeconds, importId, owner],
  );
  if (held !== 1) return false;
  await tx.execute(
    `UPDATE "LeadImportRow" r
    SET "outcome" = o."outcome", "leadId" = o."leadId", "error" = o."error"
    FROM jsonb_to_recordset($1::jsonb) AS o("rowNumber" int, "outcome" text, "leadId" text, "error" text)
    WHERE r."importId" = $2 AND r."rowNumber" = o."rowNumber" AND r."outcome" IS NULL`,
    [JSON.stringify(payload), importId],
  );
  return true;
}

export async function finishImport(importId: string, owner: string | null, status: "completed" | "failed", error: string | null = null): Promise<void> {
  await prisma.leadImport.updateMany({
    where: { id: importId, status: { in: ["queued", "running"] }, ...(owner ? { leaseOwner: owner } : {}) },
    data: { status, error, finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
  });
}

/** Queued or running imports that nobody is working on: queued for a while, or whose lease ran out. */
export async function staleImports(queuedForSeconds: number): Promise<Pick<ImportRecord, "id" | "attempts" | "organizationId">[]> {
  return prisma.$queryRaw<Pick<ImportRecord, "id" | "attempts" | "organizationId">[]>`
    SELECT "id", "attempts", "organizationId" FROM "LeadImport"
    WHERE ("status" = 'running' AND ("leaseUntil" IS NULL OR "leaseUntil" < now()))
       OR ("status" = 'queued' AND "leaseUntil" IS NULL AND "queuedAt" < now() - make_interval(secs => ${queuedForSeconds}))
    ORDER BY "createdAt"
    LIMIT 100`;
}

/** Failed rows after `afterRowNumber`, in order, for the report's CSV. */
export async function failedRows(importId: string, afterRowNumber: number, limit: number): Promise<(PendingRow & { error: string })[]> {
  const rows = await prisma.leadImportRow.findMany({
    where: { importId, outcome: "failed", rowNumber: { gt: afterRowNumber } },
    orderBy: { rowNumber: "asc" },
    take: limit,
    select: { rowNumber: true, cells: true, error: true },
  });
  return rows.map((r) => ({ rowNumber: r.rowNumber, cells: Array.isArray(r.cells) ? r.cells : [], error: r.error ?? "" }));
}

/**
 * The leads that rows of a resumed batch already changed before the worker died (the change
 * committed, its outcome did not): found by the request id every row's change is recorded with.
 */
export async function committedRowChanges(
  organizationId: string,
  since: Date,
  requestIds: readonly string[],
): Promise<Map<string, { leadId: string; type: string }>> {
  if (requestIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ requestId: string; leadId: string; type: string }[]>`
    SELECT "requestId", "leadId", "type" FROM "LeadEvent"
    WHERE "organizationId" = ${organizationId} AND "createdAt" >= ${since}
      AND "requestId" IN (${Prisma.join(requestIds)})`;
  return new Map(rows.map((r) => [r.requestId, { leadId: r.leadId, type: r.type }]));
}

/** When an import ends as failed, its unprocessed rows fail with `reason`, so the report lists them. */
export async function failRemainingRows(importId: string, owner: string, reason: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE "LeadImportRow" SET "outcome" = 'failed', "error" = ${reason}
      WHERE "importId" = ${importId} AND "outcome" IS NULL`;
    await tx.$executeRaw`
      UPDATE "LeadImport" SET "processedRows" = "processedRows" + ${count}, "failedCount" = "failedCount" + ${count}, "updatedAt" = now()
      WHERE "id" = ${importId} AND "leaseOwner" = ${owner}`;
  });
}
