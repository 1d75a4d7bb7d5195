import { withIdempotency } from "@/lib/api/idempotency";
import { jsonOk } from "@/lib/api/response";
import { methodNotAllowed, readJsonObject, searchParamsObject, withApiKey } from "@/lib/api/with-api";
import { parseWith } from "@/lib/validation";
import { createLead } from "@/lib/leads/create-lead";
import { listLeads } from "@/lib/leads/list-leads";
import type { UpdateLeadsReply } from "@/lib/leads/replies";
import { createLeadBodySchema, listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { previewLeadUpdate, updateLeads } from "@/lib/leads/update-leads";

// PATCH /api/leads - update the leads matched by id, email or phone (or, with dryRun, say what would happen)
export const PATCH = withApiKey(async ({ req, ctx, requestId }) => {
  const body = await readJsonObject(req);
  return withIdempotency({ req, ctx, requestId }, body, async () => {
    const { match, changes, onMultiple, dryRun } = parseWith(updateLeadsBodySchema, body);
    if (dryRun) return jsonOk(requestId, await previewLeadUpdate(ctx, { match, changes, onMultiple }));
    const result = await updateLeads(ctx, { match, changes, onMultiple });
    const reply: UpdateLeadsReply = {
      leadId: result.leadIds[0]!,
      // Exact at any size; leadIds and leads hold the first 100 (GET /api/leads?requestId= lists them all).
      leadsUpdated: result.matchCount,
      leadIds: result.leadIds,
      leads: result.leads,
      ...(result.truncated ? { truncated: true } : {}),
      message: result.message,
    };
    return jsonOk(requestId, reply);
  });
});

// POST /api/leads - create a lead
export const POST = withApiKey(async ({ req, ctx, requestId }) => {
  const raw = await readJsonObject(req);
  return withIdempotency({ req, ctx, requestId }, raw, async () => {
    const body = parseWith(createLeadBodySchema, raw);
    const lead = await createLead(ctx, body);
    return jsonOk(requestId, lead, { status: 201 });
  });
});

// GET /api/leads - list leads with search, filters, sort and pagination
export const GET = withApiKey(async ({ req, ctx, requestId }) => {
  const query = parseWith(listLeadsQuerySchema, searchParamsObject(req));
  const { leads, pagination } = await listLeads(ctx.organization, query);
  return jsonOk(requestId, leads, { meta: { pagination } });
});

export const PUT = methodNotAllowed(["GET", "POST", "PATCH"], "Update leads with PATCH.");
export const DELETE = methodNotAllowed(["GET", "POST", "PATCH"], "Leads are not deleted through the API.");
