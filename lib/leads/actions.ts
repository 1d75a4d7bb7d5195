"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actorContextForUser, requireUser } from "@/lib/auth/session";
import { toAppError, type FieldIssue } from "@/lib/errors";
import { userActionLimitMessage } from "@/lib/security/rate-limit";
import { findTextIssue } from "@/lib/security/text";
import { createLead } from "./create-lead";
import { createLeadBodySchema, leadFormSchema } from "./schemas";
import type { LeadDto } from "./serialize";
import { updateLeads } from "./update-leads";

/**
 * Server actions of the lead pages. They are public endpoints: each one checks the session itself,
 * then calls the same service as the Leads API, with the user as actor and "app" as source.
 */

export type FieldErrors = Partial<Record<string, string[]>>;

export type ActionFailure =
  | { ok: false; kind: "validation"; message: string; fieldErrors: FieldErrors; formErrors: string[] }
  | { ok: false; kind: "conflict"; message: string; lead: LeadDto }
  | { ok: false; kind: "not_found" | "error"; message: string };

export type UpdateLeadResult = { ok: true; message: string; changed: boolean; lead: LeadDto } | ActionFailure;
export type CreateLeadResult = ActionFailure;

export interface LeadFormValues {
  leadId: string;
  expectedVersion: number;
  status: string;
  value: string;
  lossReason: string;
  note: string;
}

export interface NewLeadValues {
  name: string;
  email: string;
  phone: string;
  company: string;
  value: string;
}

function validationFailure(fieldErrors: FieldErrors, formErrors: string[]): ActionFailure {
  return { ok: false, kind: "validation", message: "Check the highlighted fields.", fieldErrors, formErrors };
}

function groupIssues(issues: FieldIssue[]): ActionFailure {
  const fieldErrors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    if (issue.field) (fieldErrors[issue.field] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  return validationFailure(fieldErrors, formErrors);
}

/** Maps what a service throws to what the form shows; unknown errors are logged and reported generically. */
function failureFrom(thrown: unknown): ActionFailure {
  const error = toAppError(thrown);
  switch (error.code) {
    case "VALIDATION_ERROR": {
      const issues = (error.details as { issues?: FieldIssue[] } | null)?.issues ?? [];
      return groupIssues(issues.length > 0 ? issues : [{ field: "", message: error.message }]);
    }
    case "NOT_FOUND":
      return { ok: false, kind: "not_found", message: "This lead no longer exists, or it is not in your organization." };
    case "CONFLICT": {
      const details = error.details as { reason?: string; lead?: LeadDto } | null;
      if (details?.reason === "STALE_VERSION" && details.lead) return { ok: false, kind: "conflict", message: error.message, lead: details.lead };
      return { ok: false, kind: "error", message: error.message };
    }
    case "INTERNAL_ERROR":
      console.error("Lead action failed", thrown);
      return { ok: false, kind: "error", message: "Something went wrong on our side. Your input is kept; try again." };
    default:
      return { ok: false, kind: "error", message: error.message };
  }
}

/**
 * What every action checks after the session: the user's request limit (shared with the session
 * routes) and the text rule on its arguments. A failure to show, or null.
 */
async function refused(userId: string, values: unknown): Promise<ActionFailure | null> {
  const limited = await userActionLimitMessage(userId);
  if (limited) return { ok: false, kind: "error", message: limited };
  const textIssue = findTextIssue(values);
  return textIssue ? groupIssues([textIssue]) : null;
}

/** The lead form: status, value, loss reason and a note, refused when the lead changed since the form was loaded. */
export async function updateLeadAction(values: LeadFormValues): Promise<UpdateLeadResult> {
  const user = await requireUser();
  const refusal = await refused(user.id, values);
  if (refusal) return refusal;
  const parsed = leadFormSchema.safeParse(values);
  if (!parsed.success) {
    const { fieldErrors, formErrors } = z.flattenError(parsed.error);
    return validationFailure(fieldErrors, formErrors);
  }
  const { leadId, expectedVersion, ...changes } = parsed.data;
  try {
    const result = await updateLeads(actorContextForUser(user), {
      match: { by: "id", id: leadId },
      changes,
      expectedVersion,
    });
    const lead = result.leads[0];
    if (!lead) return { ok: false, kind: "not_found", message: "This lead no longer exists." };
    revalidatePath(`/leads/${leadId}`);
    return {
      ok: true,
      changed: result.changedCount > 0,
      message: result.changedCount > 0 ? "Lead saved" : "Nothing to save: the lead already has these values",
      lead,
    };
  } catch (error) {
    return failureFrom(error);
  }
}

/** The new-lead form: the same rules as POST /api/leads. Opens the new lead when it is created. */
export async function createLeadAction(values: NewLeadValues): Promise<CreateLeadResult> {
  const user = await requireUser();
  const refusal = await refused(user.id, values);
  if (refusal) return refusal;
  // An empty value box means "no value": for the API that is an absent field, not an empty string.
  // The arguments come from the network, so nothing about their shape is assumed before parsing.
  const input: Record<string, unknown> = typeof values === "object" && values !== null ? { ...values } : {};
  if (typeof input.value === "string" && input.value.trim() === "") delete input.value;
  const parsed = createLeadBodySchema.safeParse(input);
  if (!parsed.success) {
    const { fieldErrors, formErrors } = z.flattenError(parsed.error);
    return validationFailure(fieldErrors, formErrors);
  }
  let lead: LeadDto;
  try {
    lead = await createLead(actorContextForUser(user), parsed.data);
  } catch (error) {
    return failureFrom(error);
  }
  redirect(`/leads/${lead.id}?created=1`);
}
