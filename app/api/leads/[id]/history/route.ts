import { jsonOk } from "@/lib/api/response";
import { methodNotAllowed, searchParamsObject, withApiKey } from "@/lib/api/with-api";
import { getLeadHistoryOrThrow } from "@/lib/leads/get-lead";
import { leadHistoryQuerySchema } from "@/lib/leads/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/leads/{id}/history?cursor= - the lead's older notes and events, newest first, one page at a time
export const GET = withApiKey<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const { cursor } = parseWith(leadHistoryQuerySchema, searchParamsObject(req));
  return jsonOk(requestId, await getLeadHistoryOrThrow(ctx.organization, params.id, cursor));
});

const hint = "The history is read-only; add a note with PATCH /api/leads.";
export const POST = methodNotAllowed(["GET"], hint);
export const PATCH = methodNotAllowed(["GET"], hint);
export const PUT = methodNotAllowed(["GET"], hint);
export const DELETE = methodNotAllowed(["GET"], hint);
