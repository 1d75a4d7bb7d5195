import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, rawQuery, type TransactionClient } from "@/lib/db/client";
import type { SqlTx } from "@/lib/db/sql-tx";

/** The one store of the LossReason table. */

export interface LossReasonRow {
  id: string;
  organizationId: string;
  name: string;
  position: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function findLossReasons(organizationId: string, db: TransactionClient | typeof prisma = prisma): Promise<LossReasonRow[]> {
  return db.lossReason.findMany({ where: { organizationId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
}

export function findLossReason(organizationId: string, id: string, db: TransactionClient | typeof prisma = prisma): Promise<LossReasonRow | null> {
  return db.lossReason.findFirst({ where: { organizationId, id } });
}

/**
 * The id of the reason whose name is `text`, trimmed and case-insensitive; an active reason wins
 * over an archived one. In a lead change's transaction (`tx`, lib/db/sql-tx) or on its own.
 */
export async function findLossReasonIdByText(organizationId: string, text: string, tx?: SqlTx): Promise<string | null> {
  const sql = `SELECT "id" FROM "LossReason"
    WHERE "organizationId" = $1 AND lower(btrim("name")) = lower(btrim($2))
    ORDER BY "archivedAt" NULLS FIRST, "position" LIMIT 1`;
  const rows = tx ? await tx.query<{ id: string }>(sql, [organizationId, text]) : await rawQuery<{ id: string }>(sql, [organizationId, text]);
  return rows[0]?.id ?? null;
}

export function insertLossReason(data: Prisma.LossReasonUncheckedCreateInput, db: TransactionClient | typeof prisma = prisma): Promise<LossReasonRow> {
  return db.lossReason.create({ data });
}

export function updateLossReasonRow(
  id: string,
  data: Prisma.LossReasonUncheckedUpdateInput,
  db: TransactionClient | typeof prisma = prisma,
): Promise<LossReasonRow> {
  return db.lossReason.update({ where: { id }, data });
}
