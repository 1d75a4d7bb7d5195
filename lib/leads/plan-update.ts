import { Decimal, type LeadRecord, type LeadUpdateData } from "./store/record";
import type { LeadChanges } from "./schemas";
import { valueToCents, valueToNumber } from "./serialize";

export type { LeadUpdateData } from "./store/record";

export type FieldChange = { from: string | number | null; to: string | number | null };
export type LeadDiff = Partial<Record<"status" | "value" | "lossReason", FieldChange>>;

export type LeadState = Pick<LeadRecord, "status" | "value" | "lossReason" | "qualifiedAt">;

/**
 * The rules of a lead change, as a pure function: which columns to write and what changed.
 * - `qualifiedAt`/`wonAt`/`lostAt` record when the lead last entered that status; going straight
 *   to won also sets `qualifiedAt` when it has none.
 * - A loss reason is stored only when the resulting status is lost; leaving lost clears it.
 */
export function planLeadUpdate(lead: LeadState, changes: LeadChanges, now: Date): { data: LeadUpdateData; diff: LeadDiff } {
  const data: LeadUpdateData = {};
  const diff: LeadDiff = {};

  const nextStatus = changes.status ?? lead.status;
  if (changes.status !== undefined && changes.status !== lead.status) {
    data.status = changes.status;
    diff.status = { from: lead.status, to: changes.status };
    if (changes.status === "qualified") data.qualifiedAt = now;
    if (changes.status === "won") {
      data.wonAt = now;
      if (lead.qualifiedAt === null) data.qualifiedAt = now;
    }
    if (changes.status === "lost") data.lostAt = now;
  }

  if (changes.value !== undefined && changes.value !== valueToCents(lead.value)) {
    data.value = changes.value;
    diff.value = { from: valueToNumber(lead.value), to: changes.value === null ? null : new Decimal(changes.value).toNumber() };
  }

  if (nextStatus === "lost") {
    if (changes.lossReason !== undefined && changes.lossReason !== lead.lossReason) {
      data.lossReason = changes.lossReason;
      diff.lossReason = { from: lead.lossReason, to: changes.lossReason };
    }
  } else if (lead.lossReason !== null) {
    data.lossReason = null;
    diff.lossReason = { from: lead.lossReason, to: null };
  }

  return { data, diff };
}

/**
 * The lead as it would be stored after `data` (what the store's update writes), without writing:
 * dry runs show it as "after".
 */
export function applyLeadUpdate(lead: LeadRecord, data: LeadUpdateData, change: { now: Date; bumpVersion: boolean }): LeadRecord {
  return {
    ...lead,
    status: data.status ?? lead.status,
    value: data.value === undefined ? lead.value : data.value === null ? null : new Decimal(data.value),
    lossReason: data.lossReason === undefined ? lead.lossReason : data.lossReason,
    qualifiedAt: data.qualifiedAt ?? lead.qualifiedAt,
    wonAt: data.wonAt ?? lead.wonAt,
    lostAt: data.lostAt ?? lead.lostAt,
    version: lead.version + (change.bumpVersion ? 1 : 0),
    updatedAt: change.now,
  };
}
