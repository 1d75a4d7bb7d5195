import { jsonOk } from "@/lib/api/response";
import { otherMethods, readJsonObject, withSession } from "@/lib/api/with-api";
import { importReply } from "@/lib/imports/http";
import { startImport } from "@/lib/imports/imports";
import { importIdParamsSchema, runImportBodySchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// POST /api/app/leads/imports/{id}/start - runs a draft import in the background
export const POST = withSession<{ id: string }>(async ({ req, ctx, params, requestId }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  const body = parseWith(runImportBodySchema, await readJsonObject(req));
  const record = await startImport({ ...ctx, source: "import" }, id, body);
  return jsonOk(requestId, importReply(record, "/api/app/leads/imports"), { status: 202 });
});

// Any other method: 405 in the envelope.
export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
