import type { LeadStatusValue } from "./normalize";
import type { LeadChanges } from "./schemas";
import { valueToCents, valueToNumber, type LeadRecord } from "./serialize";

export type FieldChange = { from: string | number | null; to: string | number | null };
export type LeadDiff = Partial<Record<"status" | "value" | "lossReason", FieldChange>>;

export interface LeadUpdateData {
  status?: LeadStatusValue;
  value?: string | null;
  lossReason?: string | null;
  qualifiedAt?: Date;
  wonAt?: Date;
  lostAt?: Date;
}

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
    diff.value = { from: valueToNumber(lead.value), to: changes.value === null ? null : Number(changes.value) };
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
