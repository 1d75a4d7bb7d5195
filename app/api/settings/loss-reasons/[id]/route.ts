import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { updateLossReason } from "@/lib/loss-reasons/loss-reasons";
import { updateLossReasonSchema } from "@/lib/loss-reasons/schemas";
import { parseWith } from "@/lib/validation";

// PATCH /api/settings/loss-reasons/{id} - rename ({ name }) and/or archive or restore ({ archived }); leads keep their text
export const PATCH = withAdmin<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const input = parseWith(updateLossReasonSchema, await readJsonObject(req));
  return jsonOk(requestId, await updateLossReason(ctx.organization.id, params.id, input));
});

// Any other method: 405 in the envelope.
export const { GET, POST, PUT, DELETE } = otherMethods(["PATCH"]);
