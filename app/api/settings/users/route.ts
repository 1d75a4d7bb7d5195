import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { createUser, createUserSchema, listUsers } from "@/lib/users/users";
import { parseWith } from "@/lib/validation";

// GET /api/settings/users - the organization's users
export const GET = withAdmin(async ({ ctx, requestId }) => {
  return jsonOk(requestId, await listUsers(ctx.organization.id));
});

// POST /api/settings/users - add a user with a role and an initial password
export const POST = withAdmin(async ({ req, ctx, requestId }) => {
  const user = await createUser(ctx.organization.id, parseWith(createUserSchema, await readJsonObject(req)));
  return jsonOk(requestId, user, { status: 201 });
});

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
