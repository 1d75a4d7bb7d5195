import { jsonOk } from "@/lib/api/response";
import { otherMethods, withSession } from "@/lib/api/with-api";
import { importReply } from "@/lib/imports/http";
import { getImport } from "@/lib/imports/imports";
import { importIdParamsSchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads/imports/{id} - progress and report, polled by the import page
export const GET = withSession<{ id: string }>(async ({ ctx, params, requestId }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  return jsonOk(requestId, importReply(await getImport(ctx.organization, id), "/api/app/leads/imports"));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
