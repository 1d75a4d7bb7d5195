import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import type { LeadDetailDto, LeadHistoryPage } from "./get-lead";
import type { Pagination } from "./list-leads";
import type { DryRunResult } from "./update-leads";
import { LEAD_STATUSES } from "./normalize";

/**
 * The replies of the Leads API as zod schemas: the types of the serializers come from them
 * (LeadDto), or are checked against them at compile time (below), and the OpenAPI document
 * (lib/openapi) is generated from them. Change a reply here and the document follows.
 */

const timestamp = z.iso.datetime();

const LEAD_EXAMPLE = {
  id: "lead_3A899r3mOWj5vPfM",
  name: "Grace Hopper",
  email: "grace.hopper@navalsystems.example",
  phone: "+1 415 555 0100",
  company: "Naval Systems",
  source: "webform",
  status: "won",
  value: 15000.5,
  currency: "USD",
  lossReason: null,
  lossReasonId: null,
  qualifiedAt: "2026-11-20T09:12:44.120Z",
  wonAt: "2026-11-26T14:40:31.855Z",
  lostAt: null,
  createdAt: "2026-11-18T16:03:10.002Z",
  updatedAt: "2026-11-26T14:40:31.855Z",
  version: 4,
} as const;

export const leadSchema = z
  .object({
    id: z.string().meta({ description: "The lead's id", examples: [LEAD_EXAMPLE.id] }),
    name: z.string().nullable(),
    email: z.string().nullable().meta({ description: "As sent; matched case-insensitively" }),
    phone: z.string().nullable().meta({ description: "As sent; matched on its E.164 form" }),
    company: z.string().nullable(),
    source: z.string().meta({ description: "Where the lead came from: api, webform, import, …", examples: ["webform"] }),
    status: z.enum(LEAD_STATUSES).meta({ description: "Always lower-case" }),
    value: z.number().min(0).nullable().meta({ description: "Rounded to cents; null when unknown" }),
    currency: z.string().meta({ description: "ISO 4217 code of the organization", examples: ["USD"] }),
    lossReason: z.string().nullable().meta({ description: "Set only while the lead is lost: the text as sent (trimmed)" }),
    lossReasonId: z
      .string()
      .nullable()
      .meta({ description: "The organization's managed loss reason the text matches (case-insensitive); null for other text (\"Other\") or none" }),
    qualifiedAt: timestamp.nullable().meta({ description: "When the lead last became qualified" }),
    wonAt: timestamp.nullable().meta({ description: "When the lead last became won" }),
    lostAt: timestamp.nullable().meta({ description: "When the lead last became lost" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int().min(1).meta({ description: "Grows with every field change" }),
  })
  .meta({ description: "A lead as the API returns it", examples: [LEAD_EXAMPLE] });

/** A lead as the API and the app see it: status lower-case, value a JSON number or null. */
export type LeadDto = z.output<typeof leadSchema>;

const actorSchema = z.object({
  type: z.enum(["user", "api_key", "system"]),
  id: z.string().nullable(),
  name: z.string().meta({ examples: ["Zapier"] }),
});

const fieldChangeSchema = z.object({
  from: z.union([z.string(), z.number(), z.null()]),
  to: z.union([z.string(), z.number(), z.null()]),
});

const noteListSchema = z.array(z.object({ id: z.string(), body: z.string(), author: actorSchema, createdAt: timestamp }));

const eventListSchema = z.array(
  z.object({
    id: z.string(),
    type: z.string().meta({ description: "created or updated", examples: ["updated"] }),
    changes: z
      .object({ status: fieldChangeSchema, value: fieldChangeSchema, lossReason: fieldChangeSchema })
      .partial()
      .meta({ description: "Each changed field, before and after" }),
    actor: actorSchema,
    source: z.string().meta({ description: "api, app, import or system", examples: ["api"] }),
    requestId: z.string().nullable().meta({ description: "The request that made the change" }),
    note: z.object({ id: z.string(), body: z.string() }).nullable(),
    createdAt: timestamp,
  }),
);

/** `data` of GET /api/leads/{id}/history: one older stretch of the lead's history. */
export const leadHistoryPageSchema = z
  .object({
    notes: noteListSchema.meta({ description: "Newest first" }),
    events: eventListSchema.meta({ description: "Newest first" }),
    nextCursor: z.string().nullable().meta({ description: "Reads the stretch before this one; null when nothing older is left" }),
  })
  .meta({
    description: "One page of a lead's history",
    examples: [
      {
        notes: [
          {
            id: "note_Lp2nX7cV4bR9sQ1w",
            body: "First call: interested in the annual plan",
            author: { type: "user", id: "user_8hJ3kL5mN7pQ2rT4", name: "Sam Seller" },
            createdAt: "2026-10-02T10:15:00.000Z",
          },
        ],
        events: [
          {
            id: "evt_Qw4eR6tY8uI0oP2a",
            type: "created",
            changes: { status: { from: null, to: "open" } },
            actor: { type: "api_key", id: "key_5fGh2JkL9mNp3QrS", name: "Web form" },
            source: "api",
            requestId: "req_3kD9fJ2mW7qL5xZ8vB1n",
            note: null,
            createdAt: "2026-10-01T08:00:00.000Z",
          },
        ],
        nextCursor: null,
      },
    ],
  });

export const leadDetailSchema = leadSchema
  .extend({
    notes: noteListSchema.meta({ description: "The newest notes (at most 50), newest first" }),
    events: eventListSchema.meta({ description: "The newest history entries (at most 50), newest first" }),
    historyCursor: z
      .string()
      .nullable()
      .meta({ description: "Cursor for GET /api/leads/{id}/history: the older notes and events; null when there are none" }),
  })
  .meta({
    description: "A lead with its notes and history",
    examples: [
      {
        ...LEAD_EXAMPLE,
        notes: [
          {
            id: "note_Qm3kV8sT1xZp0aLr",
            body: "Signed the annual plan",
            author: { type: "api_key", id: "key_5fGh2JkL9mNp3QrS", name: "Zapier" },
            createdAt: "2026-11-26T14:40:31.855Z",
          },
        ],
        events: [
          {
            id: "evt_Zt6yU1iO3pA8sD2f",
            type: "updated",
            changes: { status: { from: "qualified", to: "won" }, value: { from: 12000, to: 15000.5 } },
            actor: { type: "api_key", id: "key_5fGh2JkL9mNp3QrS", name: "Zapier" },
            source: "api",
            requestId: "req_8fK2mQ9xLp3vN7tR4wYz",
            note: { id: "note_Qm3kV8sT1xZp0aLr", body: "Signed the annual plan" },
            createdAt: "2026-11-26T14:40:31.855Z",
          },
        ],
        historyCursor: null,
      },
    ],
  });

export const paginationSchema = z.object({
  page: z.number().int().min(1).nullable().meta({ description: "Page number of a `page` request; null when the page was reached by cursor" }),
  limit: z.number().int().min(1),
  total: z.number().int().min(0).meta({ description: "Exact while the filter matches at most 10,000 leads; else an estimate" }),
  totalIsEstimate: z.boolean().meta({ description: "True when `total` is the database's estimate (more than 10,000 matches)" }),
  totalPages: z.number().int().min(1),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable().meta({ description: "Send as `cursor` for the next page; null on the last page" }),
  prevCursor: z.string().nullable().meta({ description: "Send as `cursor` for the previous page; null on the first page" }),
});

/** `data` of a 200 reply to PATCH /api/leads. */
export const updateLeadsReplySchema = z
  .object({
    leadId: z.string().meta({ description: "The first updated lead (oldest first)" }),
    leadsUpdated: z.number().int().min(1).meta({ description: "How many leads matched" }),
    leadIds: z.array(z.string()),
    leads: z.array(leadSchema).meta({ description: "The matched leads, as stored after the update (the first 100)" }),
    truncated: z
      .literal(true)
      .optional()
      .meta({ description: "Present when more than 100 leads matched: `leadIds` and `leads` hold the first 100; GET /api/leads?requestId= lists them all" }),
    message: z.string().meta({ examples: ["Lead updated", "Lead matched; nothing to change", "3 of 4 leads updated"] }),
  })
  .meta({
    examples: [
      { leadId: LEAD_EXAMPLE.id, leadsUpdated: 1, leadIds: [LEAD_EXAMPLE.id], leads: [LEAD_EXAMPLE], message: "Lead updated" },
    ],
  });

export type UpdateLeadsReply = z.input<typeof updateLeadsReplySchema>;

const leadDiffSchema = z
  .object({ status: fieldChangeSchema, value: fieldChangeSchema, lossReason: fieldChangeSchema })
  .partial()
  .meta({ description: "What would change, as the lead's history would record it ({} when nothing)" });

/** `data` of a 200 reply to PATCH /api/leads with `dryRun: true` (previewLeadUpdate). */
export const dryRunReplySchema = z
  .object({
    dryRun: z.literal(true),
    matchCount: z.number().int().min(0).meta({ description: "Every lead the request matches" }),
    leadsUpdated: z.literal(0).meta({ description: "A dry run never writes" }),
    wouldSucceed: z.boolean().meta({ description: "Whether the same request without `dryRun` would be accepted" }),
    error: z
      .object({
        status: z.number().int(),
        code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
        message: z.string(),
        details: z.unknown(),
      })
      .nullable()
      .meta({ description: "The error the same request would get without `dryRun` (e.g. 403, 404, 409), or null" }),
    leads: z
      .array(
        z.object({
          id: z.string(),
          changes: leadDiffSchema,
          note: z.string().nullable().meta({ description: "The note that would be added, if any" }),
          before: leadSchema,
          after: leadSchema,
        }),
      )
      .meta({ description: "The first 100 matched leads, oldest first, before and after the change" }),
    truncated: z.boolean().meta({ description: "True when more leads match than `leads` holds" }),
    message: z.string().meta({ examples: ["Dry run: 1 lead matches, 1 would change; nothing was written"] }),
  })
  .meta({
    description: "What the update would do; nothing is written",
    examples: [
      {
        dryRun: true,
        matchCount: 1,
        leadsUpdated: 0,
        wouldSucceed: true,
        error: null,
        leads: [
          {
            id: LEAD_EXAMPLE.id,
            changes: { status: { from: "qualified", to: "won" } },
            note: null,
            before: { ...LEAD_EXAMPLE, status: "qualified", wonAt: null, version: 3 },
            after: LEAD_EXAMPLE,
          },
        ],
        truncated: false,
        message: "Dry run: 1 lead matches, 1 would change; nothing was written",
      },
    ],
  });

// Compile-time checks: the serializers that are not typed from these schemas must produce exactly
// what the schemas (and so the OpenAPI document) say. A change on either side fails `tsc`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const detailMatches: Same<LeadDetailDto, z.output<typeof leadDetailSchema>> = true;
const paginationMatches: Same<Pagination, z.output<typeof paginationSchema>> = true;
const historyMatches: Same<LeadHistoryPage, z.output<typeof leadHistoryPageSchema>> = true;
const dryRunMatches: Same<DryRunResult, z.output<typeof dryRunReplySchema>> = true;
void dryRunMatches;
void detailMatches;
void historyMatches;
void paginationMatches;
