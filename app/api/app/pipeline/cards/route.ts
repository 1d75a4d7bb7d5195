import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { validationError } from "@/lib/errors";
import { getPipelineCards } from "@/lib/pipeline/pipeline";
import { pipelineQuerySchema } from "@/lib/pipeline/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/pipeline/cards?status=&cursor=&search=&source= - the next 50 cards of one column ("load more")
export const GET = withSession(async ({ req, ctx, requestId }) => {
  const query = parseWith(pipelineQuerySchema, searchParamsObject(req));
  const { status } = query;
  if (status === undefined) throw validationError([{ field: "status", message: "is required: the column to load more cards of" }]);
  return jsonOk(requestId, await getPipelineCards(ctx.organization, { ...query, status }));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
