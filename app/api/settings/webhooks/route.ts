import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { parseWith } from "@/lib/validation";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { createWebhookEndpointSchema } from "@/lib/webhooks/schemas";

// GET /api/settings/webhooks - the organization's webhook endpoints (never their secrets)
export const GET = withAdmin(async ({ ctx, requestId }) => {
  return jsonOk(requestId, await listWebhookEndpoints(ctx.organization.id));
});

// POST /api/settings/webhooks - add an endpoint; the reply holds its signing secret, the only time it is shown
export const POST = withAdmin(async ({ req, ctx, requestId }) => {
  const input = parseWith(createWebhookEndpointSchema, await readJsonObject(req));
  const createdById = ctx.actor.type === "user" ? ctx.actor.userId : null;
  return jsonOk(requestId, await createWebhookEndpoint(ctx.organization.id, input, createdById), { status: 201 });
});

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
