import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withAdmin } from "@/lib/api/with-api";
import { reorderLossReasons } from "@/lib/loss-reasons/loss-reasons";
import { reorderLossReasonsSchema } from "@/lib/loss-reasons/schemas";
import { parseWith } from "@/lib/validation";

// PUT /api/settings/loss-reasons/order - { ids: [...] }: every reason's id in the new order
export const PUT = withAdmin(async ({ req, ctx, requestId }) => {
  const { ids } = parseWith(reorderLossReasonsSchema, await readJsonObject(req));
  return jsonOk(requestId, await reorderLossReasons(ctx.organization.id, ids));
});

// Any other method: 405 in the envelope.
export const { GET, POST, PATCH, DELETE } = otherMethods(["PUT"]);
