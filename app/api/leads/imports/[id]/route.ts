import { jsonOk } from "@/lib/api/response";
import { methodNotAllowed, otherMethods, withApiKey } from "@/lib/api/with-api";
import { importReply } from "@/lib/imports/http";
import { getImport } from "@/lib/imports/imports";
import { importIdParamsSchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/leads/imports/{id} - progress, counts and the report's links
export const GET = withApiKey<{ id: string }>(async ({ ctx, params, requestId }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  return jsonOk(requestId, importReply(await getImport(ctx.organization, id), "/api/leads/imports"));
});

export const POST = methodNotAllowed(["GET"]);

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET"]);
