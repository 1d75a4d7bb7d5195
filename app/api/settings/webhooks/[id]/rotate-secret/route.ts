import { jsonOk } from "@/lib/api/response";
import { otherMethods, withAdmin } from "@/lib/api/with-api";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";

// POST /api/settings/webhooks/{id}/rotate-secret - a new secret (shown once); the old one also signs for 24 hours
export const POST = withAdmin<{ id: string }>(async ({ ctx, params, requestId }) => {
  return jsonOk(requestId, await rotateWebhookSecret(ctx.organization.id, params.id));
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
