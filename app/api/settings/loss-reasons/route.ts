import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { createLossReason, listLossReasons } from "@/lib/loss-reasons/loss-reasons";
import { createLossReasonSchema } from "@/lib/loss-reasons/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/settings/loss-reasons - the organization's managed loss reasons in their order, archived ones included
export const GET = withAdmin(async ({ ctx, requestId }) => {
  return jsonOk(requestId, await listLossReasons(ctx.organization.id));
});

// POST /api/settings/loss-reasons - add a reason at the end of the list
export const POST = withAdmin(async ({ req, ctx, requestId }) => {
  const { name } = parseWith(createLossReasonSchema, await readJsonObject(req));
  return jsonOk(requestId, await createLossReason(ctx.organization.id, name), { status: 201 });
});

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
