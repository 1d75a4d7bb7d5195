import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withSession } from "@/lib/api/with-api";
import { moveLead } from "@/lib/pipeline/pipeline";
import { moveLeadSchema } from "@/lib/pipeline/schemas";
import { parseWith } from "@/lib/validation";

// POST /api/app/pipeline/move - { leadId, status, expectedVersion, lossReason? }: the same update service as
// the lead form; 409 CONFLICT (details.reason STALE_VERSION, details.lead) when the lead changed since the board loaded
export const POST = withSession(async ({ req, ctx, requestId }) => {
  const input = parseWith(moveLeadSchema, await readJsonObject(req));
  return jsonOk(requestId, await moveLead(ctx, input));
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
