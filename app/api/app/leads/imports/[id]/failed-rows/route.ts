import { otherMethods, withSession } from "@/lib/api/with-api";
import { failedRowsResponse } from "@/lib/imports/http";
import { importIdParamsSchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/leads/imports/{id}/failed-rows - the report's CSV of failed rows, with reasons
export const GET = withSession<{ id: string }>(async ({ ctx, params }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  return failedRowsResponse(ctx.organization, id);
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
