import { z } from "zod";
import { successEnvelope } from "@/lib/api/envelope";
import { dryRunReplySchema, leadDetailSchema, leadHistoryPageSchema, leadSchema, paginationSchema, updateLeadsReplySchema } from "@/lib/leads/replies";
import { createLeadBodySchema, leadHistoryQuerySchema, listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { apiKeyOperation, successResponse, successResponseOneOf } from "./components";
import { queryParameters } from "./json-schema";
import type { ApiSection } from "./section";

/** The Leads API in the OpenAPI document: every schema comes from the zod schemas the routes use. */

const TAG = "Leads";

/** Descriptions of query parameters that their schemas do not carry themselves. */
export const LIST_QUERY_DESCRIPTIONS: Record<string, string> = {
  search: "Substring of name, e-mail or phone (case-insensitive)",
  status: "One or more statuses, comma-separated: `open,qualified`",
  email: "Exact match on the normalised e-mail",
  phone: "Exact match on the normalised phone (E.164)",
  requestId:
    "Only the leads one request changed: its `X-Request-Id` (`meta.requestId`), e.g. to list every lead of a bulk PATCH whose reply was `truncated`",
  sort: "`createdAt`, `updatedAt`, `value` or `name`, with `:asc` or `:desc`; default `createdAt:desc`",
  limit: "Page size: default 50, at most 100",
  page: "Page number, from 1 (page × limit at most 10,000; go further with `cursor`). A page 1,000 or more leads deep starts, for 10 s, where this server last found it or where the page before it ended",
  cursor: "Opaque cursor from `meta.pagination.nextCursor` or `prevCursor`; not with `page`",
};

export const leadsSection: ApiSection = {
  tags: [
    {
      name: TAG,
      description:
        "Create, update, list and read leads. Every change is recorded in the lead's history with your key as its author.",
    },
  ],
  requestSchemas: {
    UpdateLeadsRequest: updateLeadsBodySchema,
    CreateLeadRequest: createLeadBodySchema,
  },
  replySchemas: {
    Lead: leadSchema,
    LeadDetail: leadDetailSchema,
    Pagination: paginationSchema,
    UpdateLeadsResult: updateLeadsReplySchema,
    UpdateLeadsReply: successEnvelope(updateLeadsReplySchema),
    UpdateLeadsDryRunResult: dryRunReplySchema,
    UpdateLeadsDryRunReply: successEnvelope(dryRunReplySchema),
    CreateLeadReply: successEnvelope(leadSchema),
    ListLeadsReply: successEnvelope(z.array(leadSchema), { pagination: paginationSchema }),
    LeadDetailReply: successEnvelope(leadDetailSchema),
    LeadHistoryPage: leadHistoryPageSchema,
    LeadHistoryReply: successEnvelope(leadHistoryPageSchema),
  },
  paths: {
    "/api/leads": {
      patch: apiKeyOperation({
        operationId: "updateLeads",
        summary: "Update leads",
        description:
          "Matches leads by `id`, `email` or `phone` (the highest-priority identifier present is the only one used) and " +
          "sets status, value, loss reason and a note. A client written for the common lead-tracking \"Update Lead\" API " +
          "works unchanged. Several matches (by e-mail or phone) are all updated in one transaction when the organization " +
          "allows bulk updates; otherwise `409 CONFLICT` with `details.matchCount`, and nothing is written. `onMultiple` " +
          "says what you expect: `error` refuses several matches (`409`), `all` updates them all (`403 FORBIDDEN` where " +
          "the organization does not allow bulk updates); without it, the organization's setting decides. A bulk update " +
          "of more leads than the organization's maximum is `409` with `details.maxBulkMatches`. The reply lists at most " +
          "100 leads (`truncated: true` beyond; `GET /api/leads?requestId=` lists them all). A match that changes nothing " +
          "still answers `200` and writes no history.\n\n" +
          "With `dryRun: true` nothing is written: the reply tells how many leads match, each one before and after, and " +
          "whether the request would succeed (`wouldSucceed`, and the `error` it would get otherwise).",
        tags: [TAG],
        idempotent: true,
        requestBody: { schemaName: "UpdateLeadsRequest" },
        responses: {
          200: successResponseOneOf(
            "The matched leads, as stored after the update; with `dryRun: true`, what the update would do.",
            [
              { example: "updated", schemaName: "UpdateLeadsReply", data: updateLeadsReplySchema },
              { example: "dryRun", schemaName: "UpdateLeadsDryRunReply", data: dryRunReplySchema },
            ],
            { idempotent: true },
          ),
        },
        errors: {
          400: undefined,
          403: '`onMultiple: "all"`, and the organization does not allow bulk updates.',
          404: "No lead of your organization matches.",
          409:
            "Several leads match where one is expected (`onMultiple: \"error\"`, or bulk updates off): `details.matchCount`; " +
            "more leads match than the organization's maximum per request: `details.matchCount` and `details.maxBulkMatches`; " +
            "or a request with the same Idempotency-Key is still running.",
          413: undefined,
          422: undefined,
        },
      }),
      post: apiKeyOperation({
        operationId: "createLead",
        summary: "Create a lead",
        description:
          "Needs at least one of `name`, `email` or `phone`. The same `status`, `value`, `note` and `lossReason` rules as " +
          "PATCH; `status` may also be `open` (the default). Duplicates by e-mail are allowed.",
        tags: [TAG],
        idempotent: true,
        requestBody: { schemaName: "CreateLeadRequest" },
        responses: {
          201: successResponse("The new lead.", "CreateLeadReply", leadSchema, { idempotent: true }),
        },
        errors: {
          400: undefined,
          409: "A request with the same Idempotency-Key is still running.",
          413: undefined,
          422: undefined,
        },
      }),
      get: apiKeyOperation({
        operationId: "listLeads",
        summary: "List leads",
        description: "One page of your organization's leads, filtered and sorted; `meta.pagination` tells where you are.",
        tags: [TAG],
        parameters: queryParameters(listLeadsQuerySchema, LIST_QUERY_DESCRIPTIONS),
        responses: {
          200: successResponse("One page of leads.", "ListLeadsReply", z.array(leadSchema).meta({ examples: [leadExamples()] }), {
            extraMeta: {
              pagination: { page: 1, limit: 50, total: 1, totalIsEstimate: false, totalPages: 1, hasMore: false, nextCursor: null, prevCursor: null },
            },
          }),
        },
        errors: { 400: undefined },
      }),
    },
    "/api/leads/{id}": {
      get: apiKeyOperation({
        operationId: "getLead",
        summary: "Get a lead with its history",
        description: "The lead plus its notes and events (every change: who, when, from where, before and after), newest first.",
        tags: [TAG],
        parameters: [
          { name: "id", in: "path", required: true, description: "The lead's id", schema: { type: "string" }, example: "lead_3A899r3mOWj5vPfM" },
        ],
        responses: {
          200: successResponse("The lead with its notes and events.", "LeadDetailReply", leadDetailSchema),
        },
        errors: { 404: "No lead with this id in your organization." },
      }),
    },
    "/api/leads/{id}/history": {
      get: apiKeyOperation({
        operationId: "getLeadHistory",
        summary: "Read older history of a lead",
        description:
          "The notes and events older than the ones `GET /api/leads/{id}` returned, newest first, one page at a time: " +
          "start with its `historyCursor`, then follow `nextCursor` until it is null.",
        tags: [TAG],
        parameters: [
          { name: "id", in: "path", required: true, description: "The lead's id", schema: { type: "string" }, example: "lead_3A899r3mOWj5vPfM" },
          ...queryParameters(leadHistoryQuerySchema, { cursor: "`historyCursor` of the lead, or `nextCursor` of the previous page" }),
        ],
        responses: {
          200: successResponse("One page of the lead's older notes and events.", "LeadHistoryReply", leadHistoryPageSchema),
        },
        errors: { 400: undefined, 404: "No lead with this id in your organization." },
      }),
    },
  },
};

function leadExamples(): unknown[] {
  return (z.globalRegistry.get(leadSchema)?.examples as unknown[] | undefined) ?? [];
}
