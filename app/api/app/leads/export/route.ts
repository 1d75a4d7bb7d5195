import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { exportResponse } from "@/lib/imports/http";
import { exportLeadsQuerySchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads/export - the signed-in user's current list view as CSV (the list's "Export CSV")
export const GET = withSession(async ({ req, ctx }) => {
  const query = parseWith(exportLeadsQuerySchema, searchParamsObject(req));
  return exportResponse(ctx.organization, query);
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
