import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { listLeads } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads - the signed-in user's leads list: search, filter, sort, pages by cursor (the total value is /api/app/leads/summary)
export const GET = withSession(async ({ req, ctx, requestId }) => {
  const query = parseWith(listLeadsQuerySchema, searchParamsObject(req));
  const result = await listLeads(ctx.organization, query);
  return jsonOk(requestId, { leads: result.leads, pagination: result.pagination, currency: ctx.organization.currency });
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
