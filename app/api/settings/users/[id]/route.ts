import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { updateUserAccess, updateUserAccessSchema } from "@/lib/users/users";
import { parseWith } from "@/lib/validation";

// PATCH /api/settings/users/{id} - change a user's role, deactivate or reactivate them
export const PATCH = withAdmin<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  return jsonOk(requestId, await updateUserAccess(ctx.organization.id, params.id, parseWith(updateUserAccessSchema, await readJsonObject(req))));
});

// Any other method: 405 in the envelope.
export const { GET, POST, PUT, DELETE } = otherMethods(["PATCH"]);
