import "server-only";
import { prisma } from "@/lib/db/client";
import type { SqlTx } from "@/lib/db/sql-tx";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { reasonKey, type UpdateLossReasonInput } from "./schemas";
import { findLossReason, findLossReasonIdByText, findLossReasons, insertLossReason, updateLossReasonRow, type LossReasonRow } from "./store";

/**
 * Managed loss reasons: admins add, rename, reorder and archive them; leads link to one by id when
 * their free-text loss reason matches its name (trimmed, case-insensitive). A lead keeps the text it
 * was given, so renaming a reason rewrites no history; archiving hides it from the pickers but keeps
 * the link and the chart's history.
 */

export interface LossReasonDto {
  id: string;
  name: string;
  position: number;
  archived: boolean;
  archivedAt: string | null;
}

function toDto(row: LossReasonRow): LossReasonDto {
  return { id: row.id, name: row.name, position: row.position, archived: row.archivedAt !== null, archivedAt: row.archivedAt?.toISOString() ?? null };
}

/** Every reason of the organization in its order; `activeOnly` for the pickers of the lead form and the board. */
export async function listLossReasons(organizationId: string, options: { activeOnly?: boolean } = {}): Promise<LossReasonDto[]> {
  const rows = await findLossReasons(organizationId);
  return rows.filter((r) => !options.activeOnly || r.archivedAt === null).map(toDto);
}

function duplicateName(name: string): AppError {
  return validationError([{ field: "name", message: `A loss reason named "${name}" already exists (it may be archived)` }]);
}

export async function createLossReason(organizationId: string, name: string): Promise<LossReasonDto> {
  return prisma.$transaction(async (tx) => {
    // One writer at a time per organization, so two admins cannot add the same name at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`loss-reasons:${organizationId}`}))`;
    const existing = await findLossReasons(organizationId, tx);
    if (existing.some((r) => reasonKey(r.name) === reasonKey(name))) throw duplicateName(name);
    const position = existing.reduce((max, r) => Math.max(max, r.position), 0) + 1;
    return toDto(await insertLossReason({ id: newId("lr"), organizationId, name, position }, tx));
  });
}

/** Renames and/or archives (or restores) a reason. Leads keep their text; their link stays. */
export async function updateLossReason(organizationId: string, id: string, input: UpdateLossReasonInput): Promise<LossReasonDto> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`loss-reasons:${organizationId}`}))`;
    const reason = await findLossReason(organizationId, id, tx);
    if (!reason) throw new AppError("NOT_FOUND", "Loss reason not found");
    if (input.name !== undefined && reasonKey(input.name) !== reasonKey(reason.name)) {
      const others = await findLossReasons(organizationId, tx);
      if (others.some((r) => r.id !== id && reasonKey(r.name) === reasonKey(input.name ?? ""))) throw duplicateName(input.name);
    }
    return toDto(
      await updateLossReasonRow(
        id,
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.archived !== undefined ? { archivedAt: input.archived ? (reason.archivedAt ?? new Date()) : null } : {}),
        },
        tx,
      ),
    );
  });
}

/** Puts the reasons in the given order; the list must name every reason of the organization once. */
export async function reorderLossReasons(organizationId: string, ids: string[]): Promise<LossReasonDto[]> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`loss-reasons:${organizationId}`}))`;
    const existing = await findLossReasons(organizationId, tx);
    const known = new Set(existing.map((r) => r.id));
    if (new Set(ids).size !== ids.length || ids.length !== known.size || !ids.every((id) => known.has(id))) {
      throw validationError([{ field: "ids", message: "must list every loss reason of the organization exactly once" }]);
    }
    for (const [index, id] of ids.entries()) await updateLossReasonRow(id, { position: index + 1 }, tx);
    return (await findLossReasons(organizationId, tx)).map(toDto);
  });
}

/**
 * The managed reason a free-text loss reason links to, or null ("Other"). Called by the lead
 * services before they plan a change, inside their transaction.
 */
export function resolveLossReasonId(organizationId: string, text: string, tx?: SqlTx): Promise<string | null> {
  return findLossReasonIdByText(organizationId, text, tx);
}
