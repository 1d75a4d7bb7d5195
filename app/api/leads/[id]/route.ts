import { jsonOk } from "@/lib/api/response";
import { methodNotAllowed, withApiKey } from "@/lib/api/with-api";
import { getLeadOrThrow } from "@/lib/leads/get-lead";

// GET /api/leads/{id} - one lead with its notes and events, newest first
export const GET = withApiKey<{ id: string }>(async ({ ctx, params, requestId }) => {
  const lead = await getLeadOrThrow(ctx.organization, params.id);
  return jsonOk(requestId, lead);
});

const updateHint = 'Update a lead with PATCH /api/leads and {"id": "…"} in the body.';
export const PATCH = methodNotAllowed(["GET"], updateHint);
export const PUT = methodNotAllowed(["GET"], updateHint);
export const POST = methodNotAllowed(["GET"], updateHint);
export const DELETE = methodNotAllowed(["GET"], "Leads are not deleted through the API.");
