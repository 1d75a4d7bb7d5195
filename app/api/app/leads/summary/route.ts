import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { leadsTotalValue } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads/summary - the total value of every lead the list's filter matches, fetched apart so the page never waits for it
export const GET = withSession(async ({ req, ctx, requestId }) => {
  const query = parseWith(listLeadsQuerySchema, searchParamsObject(req));
  return jsonOk(requestId, { totalValue: await leadsTotalValue(ctx.organization, query), currency: ctx.organization.currency });
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
