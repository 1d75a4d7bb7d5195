import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withSession } from "@/lib/api/with-api";
import { previewImport } from "@/lib/imports/imports";
import { importIdParamsSchema, runImportBodySchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// POST /api/app/leads/imports/{id}/preview - the first rows as they will be stored, with their errors
export const POST = withSession<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  const body = parseWith(runImportBodySchema, await readJsonObject(req));
  const { rows } = await previewImport(ctx, id, body);
  return jsonOk(requestId, { rows });
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
