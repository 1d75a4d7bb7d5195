import { jsonOk } from "@/lib/api/response";
import { otherMethods, withAdmin } from "@/lib/api/with-api";
import { sendTestEvent } from "@/lib/webhooks/endpoints";

// POST /api/settings/webhooks/{id}/test - queue a webhook.test event to this endpoint
export const POST = withAdmin<{ id: string }>(async ({ ctx, params, requestId }) => {
  return jsonOk(requestId, await sendTestEvent(ctx.organization.id, params.id, ctx.actor, requestId), { status: 202 });
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
