import { z } from "zod";
import {
  API_UPDATE_STATUSES,
  LEAD_STATUSES,
  MAX_LOSS_REASON_LENGTH,
  MAX_NOTE_LENGTH,
  normalizeEmail,
  parseLeadValue,
  type LeadStatusValue,
} from "./normalize";

/**
 * Request schemas for leads, shared by the API routes, the server actions and the forms.
 * Unknown fields are stripped (never written). Blank strings count as absent where the contract
 * says so.
 */

/** What to do when an e-mail or phone matches several leads: refuse (409) or update all of them. */
export const ON_MULTIPLE = ["error", "all"] as const;
export type OnMultiple = (typeof ON_MULTIPLE)[number];

export type LeadMatch = { by: "id"; id: string } | { by: "email"; email: string } | { by: "phone"; phone: string };

export interface LeadChanges {
  status?: LeadStatusValue;
  /** Decimal string rounded to cents, or null to clear. */
  value?: string | null;
  note?: string;
  lossReason?: string;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v === null ? undefined : v);

/** A string identifier or text field; blank or null counts as absent. */
function optionalString(max: number, label = "text") {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `must be a ${label} string` })
      .trim()
      .max(max, { error: `must be at most ${max} characters` })
      .optional(),
  );
}

/** Phone numbers sometimes arrive as JSON numbers from spreadsheets and automation tools. */
const phoneInput = z.preprocess(
  (v) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? String(v) : blankToUndefined(v)),
  z.string({ error: "must be a phone number string" }).trim().max(64, { error: "must be at most 64 characters" }).optional(),
).meta({
  type: ["string", "integer"],
  description: "Any common format; numbers without a country code use the organization's default country",
  examples: ["+1 (415) 555-0100"],
});

function statusField(allowed: readonly LeadStatusValue[]) {
  return z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v === null ? undefined : v),
    z.enum(allowed as [LeadStatusValue, ...LeadStatusValue[]], { error: `must be one of: ${allowed.join(", ")}` }).optional(),
  ).meta({ description: "Any case (WON is won); blank or null counts as absent" });
}

const valueField = z.unknown().optional().transform((v, ctx) => {
  if (v === undefined) return undefined;
  const parsed = parseLeadValue(v);
  if (!parsed.ok) {
    ctx.issues.push({ code: "custom", message: parsed.message, input: v });
    return z.NEVER;
  }
  return parsed.value;
}).meta({
  anyOf: [{ type: "number", minimum: 0 }, { type: "string", examples: ["15000.50"] }, { type: "null" }],
  description: "A number >= 0 or a string of one, rounded to 2 decimals; null clears it. Thousands separators are refused",
});

const noteField = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .string({ error: "must be a string" })
    .trim()
    .max(MAX_NOTE_LENGTH, { error: `must be at most ${MAX_NOTE_LENGTH} characters` })
    .optional()
    .transform((v) => (v === "" ? undefined : v)),
).meta({ description: "Appended as a new note; empty is ignored", examples: ["Signed the annual plan"] });

const lossReasonField = optionalString(MAX_LOSS_REASON_LENGTH).meta({
  description: "Stored only when the lead's resulting status is lost",
  examples: ["Chose a competitor"],
});

function updateStatusDoc(description: string) {
  return { type: ["string", "null"], enum: [...API_UPDATE_STATUSES, null], description: `${description}. Any case; blank or null counts as absent` };
}

/** Body of PATCH /api/leads. Produces the match (highest-priority identifier only) and the changes. */
export const updateLeadsBodySchema = z
  .object({
    id: optionalString(200, "lead id").meta({ description: "Matches one lead; the highest-priority identifier" }),
    email: optionalString(320).meta({ description: "Matches case-insensitively; used when no id is sent", examples: ["grace.hopper@navalsystems.example"] }),
    phone: phoneInput,
    status: z.unknown().optional().meta(updateStatusDoc("New status")),
    changedTo: z.unknown().optional().meta(updateStatusDoc("Legacy alias of status, ignored when status is sent")),
    value: valueField,
    note: noteField,
    lossReason: lossReasonField,
    onMultiple: z.preprocess(
      (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v === null ? undefined : v),
      z
        .enum(ON_MULTIPLE, { error: `must be one of: ${ON_MULTIPLE.join(", ")}` })
        .optional()
        .describe('When the e-mail or phone matches several leads: "error" refuses with 409, "all" updates every match (needs bulk updates). Default: the organization\'s "Allow bulk updates".'),
    ),
    dryRun: z.preprocess(
      (v) => (v === null ? undefined : v),
      z
        .boolean({ error: "must be true or false" })
        .optional()
        .describe("true: answer what the request would do (match count, changes before and after, the error it would get) and write nothing."),
    ),
  })
  .transform((body, ctx) => {
    let match: LeadMatch;
    if (body.id !== undefined) {
      match = { by: "id", id: body.id };
    } else if (body.email !== undefined) {
      const email = normalizeEmail(body.email);
      if (!email.ok) {
        ctx.issues.push({ code: "custom", path: ["email"], message: email.message, input: body.email });
        return z.NEVER;
      }
      match = { by: "email", email: email.value };
    } else if (body.phone !== undefined) {
      match = { by: "phone", phone: body.phone };
    } else {
      ctx.issues.push({ code: "custom", path: [], message: "At least one of id, email or phone is required", input: body });
      return z.NEVER;
    }

    // `status` wins over the legacy `changedTo`, which is then ignored entirely.
    const statusKey = blankToUndefined(body.status) !== undefined ? "status" : "changedTo";
    const status = statusField(API_UPDATE_STATUSES).safeParse(body[statusKey]);
    if (!status.success) {
      ctx.issues.push({
        code: "invalid_value",
        values: [...API_UPDATE_STATUSES],
        path: [statusKey],
        message: `must be one of: ${API_UPDATE_STATUSES.join(", ")}`,
        input: body[statusKey],
      });
      return z.NEVER;
    }

    const changes: LeadChanges = {};
    if (status.data !== undefined) changes.status = status.data;
    if (body.value !== undefined) changes.value = body.value;
    if (body.note !== undefined) changes.note = body.note;
    if (body.lossReason !== undefined) changes.lossReason = body.lossReason;
    // The new fields appear only when sent, so the parsed shape of a request without them is unchanged.
    return {
      match,
      changes,
      ...(body.onMultiple !== undefined ? { onMultiple: body.onMultiple } : {}),
      ...(body.dryRun === true ? { dryRun: true as const } : {}),
    };
  })
  .meta({
    description: "At least one of id, email or phone (the highest-priority one present is used). Unknown fields are ignored",
    examples: [{ email: "grace.hopper@navalsystems.example", status: "won", value: "15000.50", note: "Signed the annual plan" }],
  });

export type UpdateLeadsBody = z.output<typeof updateLeadsBodySchema>;

/** Body of POST /api/leads and of the app's new-lead form. */
export const createLeadBodySchema = z
  .object({
    name: optionalString(200).meta({ examples: ["Ada Lovelace"] }),
    email: optionalString(320).meta({ examples: ["ada@analytical.example"] }),
    phone: phoneInput,
    company: optionalString(200).meta({ examples: ["Analytical Engines"] }),
    source: z.preprocess(
      blankToUndefined,
      z
        .string({ error: "must be a string" })
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9_-]{1,40}$/, { error: "must be a short word such as api, import or webform" })
        .optional(),
    ).meta({ description: "Where the lead came from (any case); default api", examples: ["webform"] }),
    status: statusField(LEAD_STATUSES),
    value: valueField,
    note: noteField,
    lossReason: lossReasonField,
  })
  .superRefine((body, ctx) => {
    if (body.name === undefined && body.email === undefined && body.phone === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "At least one of name, email or phone is required" });
    }
    if (body.email !== undefined) {
      const email = normalizeEmail(body.email);
      if (!email.ok) ctx.addIssue({ code: "custom", path: ["email"], message: email.message });
    }
  })
  .meta({
    description: "At least one of name, email or phone. Unknown fields are ignored",
    examples: [
      { name: "Ada Lovelace", email: "ada@analytical.example", phone: "(415) 555-2671", company: "Analytical Engines", value: 1500, source: "webform", note: "Asked for a demo" },
    ],
  });

export type CreateLeadBody = z.output<typeof createLeadBodySchema>;
/** What the create service takes: every field optional (the schema has checked the combination). */
export type CreateLeadInput = { [K in keyof CreateLeadBody]?: CreateLeadBody[K] };

/** The app's lead form: any status (a salesperson may reopen a lead) and the version it was loaded at. */
export const leadFormSchema = z.object({
  leadId: z.string().min(1),
  expectedVersion: z.coerce.number().int().min(1),
  status: statusField(LEAD_STATUSES),
  // An empty value field in a form means "no value".
  value: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), valueField),
  note: noteField,
  lossReason: lossReasonField,
});

export type LeadFormInput = z.output<typeof leadFormSchema>;

export const LEAD_SORT_FIELDS = ["createdAt", "updatedAt", "value", "name"] as const;

/** `page` reaches at most this many leads into a list (page × limit); further on, pages go by cursor. */
export const MAX_PAGE_DEPTH = 10_000;

/** Query of GET /api/leads and of the app's list. */
export const listLeadsQuerySchema = z
  .object({
  search: optionalString(200),
  status: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim().toLowerCase()) : undefined),
    z.array(z.enum(LEAD_STATUSES, { error: `must be one of: ${LEAD_STATUSES.join(", ")}` })).optional(),
  ),
  email: optionalString(320),
  phone: optionalString(64),
  /** The leads one request changed: its X-Request-Id / meta.requestId. */
  requestId: optionalString(128, "request id"),
  sort: z
    .preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : "createdAt:desc"),
      z.string().regex(new RegExp(`^(${LEAD_SORT_FIELDS.join("|")})(:(asc|desc))?$`), {
        error: `must be one of ${LEAD_SORT_FIELDS.join(", ")}, optionally followed by :asc or :desc`,
      }),
    )
    .transform((s) => {
      const [field, direction = "desc"] = s.split(":") as [(typeof LEAD_SORT_FIELDS)[number], "asc" | "desc" | undefined];
      return { field, direction: direction ?? "desc" };
    }),
  limit: z.preprocess(
    (v) => (v === undefined || v === "" ? 50 : v),
    z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1).max(100, { error: "must be at most 100" }),
  ),
  /** Page number (offset paging, kept for existing clients); absent means the first page or the cursor's page. */
  page: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1).max(1_000_000).optional(),
  ),
  /** Opaque cursor from meta.pagination.nextCursor or prevCursor. */
  cursor: optionalString(1000, "cursor"),
})
  .superRefine((query, ctx) => {
    if (query.cursor !== undefined && query.page !== undefined) {
      ctx.addIssue({ code: "custom", path: ["page"], message: "send either page or cursor, not both" });
    } else if (query.page !== undefined && query.page * query.limit > MAX_PAGE_DEPTH) {
      ctx.addIssue({
        code: "custom",
        path: ["page"],
        message: `page × limit must be at most ${MAX_PAGE_DEPTH.toLocaleString("en-US")}; to go further, follow meta.pagination.nextCursor with ?cursor=`,
      });
    }
  });

export type ListLeadsQuery = z.output<typeof listLeadsQuerySchema>;

/** Query of GET /api/leads/{id}/history (and the app's): where the older entries start. */
export const leadHistoryQuerySchema = z.object({ cursor: optionalString(1000, "cursor") });
