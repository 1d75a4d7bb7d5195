import { methodNotAllowed, otherMethods, searchParamsObject, withApiKey } from "@/lib/api/with-api";
import { exportResponse } from "@/lib/imports/http";
import { exportLeadsQuerySchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/leads/export - the leads of the list's filters and sort as CSV (streamed)
export const GET = withApiKey(async ({ req, ctx }) => {
  const query = parseWith(exportLeadsQuerySchema, searchParamsObject(req));
  return exportResponse(ctx.organization, query);
});

export const POST = methodNotAllowed(["GET"], "Import leads with POST /api/leads/imports.");

// Any other method: 405 in the envelope.
export const { PUT, PATCH, DELETE } = otherMethods(["GET"]);
