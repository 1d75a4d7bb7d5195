import { jsonOk } from "@/lib/api/response";
import { otherMethods, withAdmin } from "@/lib/api/with-api";
import { replayDelivery } from "@/lib/webhooks/endpoints";

// POST /api/settings/webhooks/{id}/deliveries/{deliveryId}/replay - send the same event (same id) again
export const POST = withAdmin<{ id: string; deliveryId: string }>(async ({ ctx, params, requestId }) => {
  return jsonOk(requestId, await replayDelivery(ctx.organization.id, params.id, params.deliveryId), { status: 202 });
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
