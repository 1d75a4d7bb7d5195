import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { parseWith } from "@/lib/validation";
import { deleteWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { updateWebhookEndpointSchema } from "@/lib/webhooks/schemas";

// PATCH /api/settings/webhooks/{id} - enable/disable, or change description, events, statuses
export const PATCH = withAdmin<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const input = parseWith(updateWebhookEndpointSchema, await readJsonObject(req));
  return jsonOk(requestId, await updateWebhookEndpoint(ctx.organization.id, params.id, input));
});

// DELETE /api/settings/webhooks/{id} - delete the endpoint and its delivery log
export const DELETE = withAdmin<{ id: string }>(async ({ ctx, params, requestId }) => {
  await deleteWebhookEndpoint(ctx.organization.id, params.id);
  return jsonOk(requestId, { id: params.id, deleted: true });
});

// Any other method: 405 in the envelope.
export const { GET, POST, PUT } = otherMethods(["PATCH", "DELETE"]);
