import { jsonOk } from "@/lib/api/response";
import { withApiKey } from "@/lib/api/with-api";
import { getLeadOrThrow } from "@/lib/leads/get-lead";

// GET /api/leads/{id} - one lead with its notes and events, newest first
export const GET = withApiKey<{ id: string }>(async ({ ctx, params, requestId }) => {
  const lead = await getLeadOrThrow(ctx.organization, params.id);
  return jsonOk(requestId, lead);
});
