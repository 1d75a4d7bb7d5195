import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { importReply } from "@/lib/imports/http";
import { listImports, uploadImport } from "@/lib/imports/imports";
import { suggestMapping, mappingToHeaders } from "@/lib/imports/mapping";
import { uploadImportQuerySchema } from "@/lib/imports/schemas";
import { csvRequestBody } from "@/lib/imports/upload";
import { parseWith } from "@/lib/validation";

const BASE = "/api/app/leads/imports";

// POST /api/app/leads/imports - the import page's upload: a draft import with the recognised mapping
export const POST = withSession(async ({ req, ctx, requestId }) => {
  const { fileName } = parseWith(uploadImportQuerySchema, searchParamsObject(req));
  const record = await uploadImport(ctx, csvRequestBody(req), fileName);
  const headers = Array.isArray(record.headers) ? record.headers.map(String) : [];
  return jsonOk(requestId, { ...importReply(record, BASE), suggestedMapping: mappingToHeaders(suggestMapping(headers), headers) }, { status: 201 });
}, { acceptBody: ["text/csv"] });

// GET /api/app/leads/imports - the organization's recent imports
export const GET = withSession(async ({ ctx, requestId }) => {
  const records = await listImports(ctx.organization);
  return jsonOk(requestId, records.map((r) => importReply(r, BASE)));
});

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
