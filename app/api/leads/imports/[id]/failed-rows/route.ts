import { otherMethods, withApiKey } from "@/lib/api/with-api";
import { failedRowsResponse } from "@/lib/imports/http";
import { importIdParamsSchema } from "@/lib/imports/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/leads/imports/{id}/failed-rows - the failed rows as CSV, with the reason of each
export const GET = withApiKey<{ id: string }>(async ({ ctx, params }) => {
  const { id } = parseWith(importIdParamsSchema, params);
  return failedRowsResponse(ctx.organization, id);
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
