import { randomBytes } from "node:crypto";
import pg from "pg";
import { HttpError, rawLeadsApi } from "../../../../raw-patch";

// The floor server reads its settings from the environment the bench gives it (it is not the app).
const pool = new pg.Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: Number(process.env.FLOOR_DB_POOL_SIZE ?? "10") });
const { patchLeads } = rawLeadsApi(pool);

const meta = (requestId: string) => ({ requestId, timestamp: new Date().toISOString() });

// PATCH /api/leads - exactly the raw baseline's SQL, in a bare App Router route handler.
export async function PATCH(req: Request): Promise<Response> {
  const requestId = `req_${randomBytes(15).toString("base64url")}`;
  try {
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      throw new HttpError(400, "VALIDATION_ERROR", "Request body is not valid JSON");
    }
    const key = req.headers.get("x-api-key")?.trim();
    return Response.json({ success: true, data: await patchLeads(key, body, requestId), meta: meta(requestId) });
  } catch (error) {
    const known = error instanceof HttpError ? error : new HttpError(500, "INTERNAL_ERROR", "Internal error");
    if (!(error instanceof HttpError)) console.error(`[floor ${requestId}]`, error);
    return Response.json({ success: false, error: { code: known.code, message: known.message }, meta: meta(requestId) }, { status: known.status });
  }
}
