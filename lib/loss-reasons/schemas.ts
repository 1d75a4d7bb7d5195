import { z } from "zod";

/** Requests of the loss-reason settings, shared by the admin routes and the settings page. */

export const MAX_LOSS_REASON_NAME_LENGTH = 100;

/** The label of every loss reason that matches no managed one, and the name no managed reason may take. */
export const OTHER_LOSS_REASON = "Other";

const name = z
  .string({ error: "must be a text string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_LOSS_REASON_NAME_LENGTH, { error: `must be at most ${MAX_LOSS_REASON_NAME_LENGTH} characters` })
  .refine((v) => v.toLowerCase() !== OTHER_LOSS_REASON.toLowerCase(), {
    error: `"${OTHER_LOSS_REASON}" is always offered for free text; choose another name`,
  });

export const createLossReasonSchema = z.object({ name });

export const updateLossReasonSchema = z
  .object({ name: name.optional(), archived: z.boolean({ error: "must be true or false" }).optional() })
  .refine((v) => v.name !== undefined || v.archived !== undefined, { error: "Send a new name, archived, or both" });

export const reorderLossReasonsSchema = z.object({
  ids: z.array(z.string().min(1).max(100), { error: "must be the list of reason ids in their new order" }).min(1).max(500),
});

export type UpdateLossReasonInput = z.output<typeof updateLossReasonSchema>;

/** The normal form two reason texts are compared in: trimmed, case-insensitive. */
export function reasonKey(text: string): string {
  return text.trim().toLowerCase();
}

/** How a lead's loss reason reads in the app: a managed reason as its text, anything else as "Other: ‹text›". */
export function lossReasonLabel(lossReason: string | null, lossReasonId: string | null): string | null {
  if (lossReason === null) return null;
  return lossReasonId ? lossReason : `${OTHER_LOSS_REASON}: ${lossReason}`;
}

/** A sensible starting set, for the demo organization. */
export const DEFAULT_LOSS_REASONS = ["Too expensive", "Chose a competitor", "No budget", "No response", "Bad timing", "Project cancelled"] as const;
