import { jsonOk } from "@/lib/api/response";
import { methodNotAllowed, otherMethods, searchParamsObject, withApiKey } from "@/lib/api/with-api";
import { importReply } from "@/lib/imports/http";
import { createImport } from "@/lib/imports/imports";
import { createImportQuerySchema } from "@/lib/imports/schemas";
import { csvRequestBody } from "@/lib/imports/upload";
import { parseWith } from "@/lib/validation";

// POST /api/leads/imports - a CSV file as the body; mode and mapping as query parameters. Runs in the background.
export const POST = withApiKey(async ({ req, ctx, requestId }) => {
  const query = parseWith(createImportQuerySchema, searchParamsObject(req));
  const record = await createImport({ ...ctx, source: "import" }, csvRequestBody(req), query);
  return jsonOk(requestId, importReply(record, "/api/leads/imports"), { status: 202 });
});

export const GET = methodNotAllowed(["POST"], "Read an import with GET /api/leads/imports/{id}.");

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["POST"]);
