import { revokeApiKey } from "@/lib/api-keys/api-keys";
import { jsonOk } from "@/lib/api/response";
import { otherMethods, withAdmin } from "@/lib/api/with-api";

// POST /api/settings/api-keys/{id}/revoke - revoke a key; its next request gets 401
export const POST = withAdmin<{ id: string }>(async ({ ctx, params, requestId }) => {
  return jsonOk(requestId, await revokeApiKey(ctx.organization.id, { id: params.id }));
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
