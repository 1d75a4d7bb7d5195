import { jsonOk } from "@/lib/api/response";
import { otherMethods, searchParamsObject, withSession } from "@/lib/api/with-api";
import { getPipelineBoard } from "@/lib/pipeline/pipeline";
import { pipelineQuerySchema } from "@/lib/pipeline/schemas";
import { parseWith } from "@/lib/validation";

// GET /api/app/pipeline?search=&source= - the board: per status the count, total value and newest 50 cards
export const GET = withSession(async ({ req, ctx, requestId }) => {
  const query = parseWith(pipelineQuerySchema, searchParamsObject(req));
  return jsonOk(requestId, await getPipelineBoard(ctx.organization, query));
});

// Any other method: 405 in the envelope.
export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
