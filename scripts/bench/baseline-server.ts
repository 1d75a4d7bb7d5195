/**
 * The bench's raw baseline: a bare node:http server with the `pg` driver and plain SQL doing the
 * same work as PATCH /api/leads and GET /api/leads. No framework, no ORM. It reuses the app's pure
 * functions (request schemas, normalisation, the lead-update rules, serialisation) so the two
 * servers do the same work and the difference is framework + ORM overhead.
 *
 *   node --import tsx scripts/bench/baseline-server.ts --port 4000 --database-url postgresql://… --pool 10
 */
import http from "node:http";
import { parseArgs } from "node:util";
import pg from "pg";
import { phoneDigits } from "@/lib/leads/normalize";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { serializeLead } from "@/lib/leads/serialize";
import { leadRecordFromRow, type LeadRow } from "@/lib/leads/store/record";
import { HttpError, LEAD_COLUMNS, newId, rawLeadsApi } from "./raw-patch";

const { values } = parseArgs({
  options: { port: { type: "string" }, "database-url": { type: "string" }, pool: { type: "string", default: "10" } },
});
const port = Number(values.port);
const databaseUrl = values["database-url"];
if (!Number.isInteger(port) || !databaseUrl) throw new Error("--port and --database-url are required");

const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(values.pool) });

const { authenticate, patchLeads } = rawLeadsApi(pool);

const SORT_COLUMN = { createdAt: `"createdAt"`, updatedAt: `"updatedAt"`, value: `"value"`, name: `"name"` } as const;

/** GET /api/leads: the same filter, order and page as listLeads, and the count, in parallel. */
async function listLeads(key: string | undefined, searchParams: URLSearchParams): Promise<{ data: unknown; meta: unknown }> {
  const apiKey = await authenticate(pool, key);
  const parsed = listLeadsQuerySchema.safeParse(Object.fromEntries(searchParams.entries()));
  if (!parsed.success) throw new HttpError(400, "VALIDATION_ERROR", parsed.error.issues[0]?.message ?? "Invalid request");
  const query = { ...parsed.data, page: parsed.data.page ?? 1 };
  const params: unknown[] = [apiKey.organizationId];
  const where = [`"organizationId" = $1`];
  if (query.status?.length) {
    params.push(query.status);
    where.push(`"status" = ANY($${params.length}::"LeadStatus"[])`);
  }
  if (query.search !== undefined) {
    params.push(`%${query.search}%`, `%${query.search.toLowerCase()}%`);
    const or = [`"name" ILIKE $${params.length - 1}`, `"emailNormalized" LIKE $${params.length}`];
    const digits = phoneDigits(query.search);
    if (digits.length >= 3) {
      params.push(`%${digits}%`);
      or.push(`"phoneNormalized" LIKE $${params.length}`);
    }
    where.push(`(${or.join(" OR ")})`);
  }
  const { field, direction } = query.sort;
  const nulls = field === "value" || field === "name" ? " NULLS LAST" : "";
  const order = `${SORT_COLUMN[field]} ${direction.toUpperCase()}${nulls}, "id" ${direction.toUpperCase()}`;
  const whereSql = where.join(" AND ");
  const [rows, count] = await Promise.all([
    pool.query<LeadRow>(
      `SELECT ${LEAD_COLUMNS} FROM "Lead" WHERE ${whereSql} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`,
      params,
    ),
    pool.query<{ count: string }>(`SELECT count(*) AS "count" FROM "Lead" WHERE ${whereSql}`, params),
  ]);
  const total = Number(count.rows[0]?.count ?? 0);
  return {
    data: rows.rows.map((row) => serializeLead(leadRecordFromRow(row))),
    meta: {
      pagination: {
        page: query.page,
        limit: query.limit,
        total,
        totalPages: Math.max(1, Math.ceil(total / query.limit)),
        hasMore: query.page * query.limit < total,
      },
    },
  };
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const requestId = newId("req", 20);
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"].trim() : undefined;
    const meta = () => ({ requestId, timestamp: new Date().toISOString() });
    const work = async () => {
      if (url.pathname === "/health") return send(res, 200, { ok: true });
      if (url.pathname !== "/api/leads") throw new HttpError(404, "NOT_FOUND", "Not found");
      if (req.method === "PATCH") {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          throw new HttpError(400, "VALIDATION_ERROR", "Request body is not valid JSON");
        }
        return send(res, 200, { success: true, data: await patchLeads(key, body, requestId), meta: meta() });
      }
      if (req.method === "GET") {
        const { data, meta: extra } = await listLeads(key, url.searchParams);
        return send(res, 200, { success: true, data, meta: { ...meta(), ...(extra as object) } });
      }
      throw new HttpError(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    };
    work().catch((error: unknown) => {
      const known = error instanceof HttpError ? error : new HttpError(500, "INTERNAL_ERROR", "Internal error");
      if (!(error instanceof HttpError)) console.error(`[baseline ${requestId}]`, error);
      send(res, known.status, { success: false, error: { code: known.code, message: known.message }, meta: meta() });
    });
  });
});

server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1");
// The bench stops it when done; requests still in flight do not matter then.
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
