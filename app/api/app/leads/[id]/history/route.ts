import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { getLeadHistoryOrThrow } from "@/lib/leads/get-lead";
import { leadHistoryQuerySchema } from "@/lib/leads/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads/{id}/history?cursor= - the lead page's "Load older": the same service as the API, with the session
export const GET = withSession<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const { cursor } = parseWith(leadHistoryQuerySchema, searchParamsObject(req));
  return jsonOk(requestId, await getLeadHistoryOrThrow(ctx.organization, params.id, cursor));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
