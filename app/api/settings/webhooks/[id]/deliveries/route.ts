import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withAdmin } from "@/lib/api/with-api";
import { parseWith } from "@/lib/validation";
import { listDeliveries } from "@/lib/webhooks/endpoints";
import { deliveriesQuerySchema } from "@/lib/webhooks/schemas";

// GET /api/settings/webhooks/{id}/deliveries?page=&pageSize= - the delivery log, newest first
export const GET = withAdmin<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const page = parseWith(deliveriesQuerySchema, searchParamsObject(req));
  return jsonOk(requestId, await listDeliveries(ctx.organization.id, params.id, page));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
