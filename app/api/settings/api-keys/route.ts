import { createApiKey, createApiKeySchema, listApiKeys } from "@/lib/api-keys/api-keys";
import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { parseWith } from "@/lib/validation";

// GET /api/settings/api-keys - the organization's API keys (never the keys themselves)
export const GET = withAdmin(async ({ ctx, requestId }) => {
  return jsonOk(requestId, await listApiKeys(ctx.organization.id));
});

// POST /api/settings/api-keys - create a key; the reply holds the full key, the only time it is shown
export const POST = withAdmin(async ({ req, ctx, requestId }) => {
  const { name } = parseWith(createApiKeySchema, await readJsonObject(req));
  const createdById = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const { apiKey, plaintext } = await createApiKey({ organizationId: ctx.organization.id, name, createdById });
  return jsonOk(requestId, { apiKey, key: plaintext }, { status: 201 });
});

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
