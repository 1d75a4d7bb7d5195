import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import {
  getOrganizationSettings,
  organizationSettingsSchema,
  toOrganizationSettingsDto,
  updateOrganizationSettings,
} from "@/lib/organizations/organizations";
import { parseWith } from "@/lib/validation";

// GET /api/settings/organization - the organization's settings and who changed them last
export const GET = withAdmin(async ({ ctx, requestId }) => {
  return jsonOk(requestId, toOrganizationSettingsDto(await getOrganizationSettings(ctx.organization.id)));
});

// PATCH /api/settings/organization - change bulk updates, default phone country or currency
export const PATCH = withAdmin(async ({ req, ctx, requestId }) => {
  const userId = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const changes = parseWith(organizationSettingsSchema, await readJsonObject(req));
  const updated = await updateOrganizationSettings(ctx.organization.id, changes, userId);
  return jsonOk(requestId, toOrganizationSettingsDto(updated));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, DELETE } = otherMethods(["GET", "PATCH"]);
