/**
 * The bench's raw baseline: a bare node:http server with the `pg` driver and plain SQL doing the
 * same work as PATCH /api/leads and GET /api/leads. No framework, no ORM. It reuses the app's pure
 * functions (request schemas, normalisation, the lead-update rules, serialisation) so the two
 * servers do the same work and the difference is framework + ORM overhead.
 *
 *   node --import tsx scripts/bench/baseline-server.ts --port 4000 --database-url postgresql://… --pool 10
 */
import { createHash, randomInt } from "node:crypto";
import http from "node:http";
import { parseArgs } from "node:util";
import pg from "pg";
import type { ApiKeyRow } from "@/lib/api-keys/api-keys";
import { normalizePhone, phoneDigits } from "@/lib/leads/normalize";
import { planLeadUpdate, type LeadUpdateData } from "@/lib/leads/plan-update";
import { listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { serializeLead, type LeadRecord } from "@/lib/leads/serialize";

const { values } = parseArgs({
  options: { port: { type: "string" }, "database-url": { type: "string" }, pool: { type: "string", default: "10" } },
});
const port = Number(values.port);
const databaseUrl = values["database-url"];
if (!Number.isInteger(port) || !databaseUrl) throw new Error("--port and --database-url are required");

const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(values.pool) });

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function newId(prefix: string, length = 16): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}_${out}`;
}

const LEAD_COLUMNS = `"id", "name", "email", "phone", "company", "source", "status"::text AS "status",
  "value"::text AS "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version"`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const lastUsedWrites = new Map<string, number>();

/** The same lookup as authenticateApiKey: by SHA-256 of the key, with the organization's settings. */
async function authenticate(db: pg.ClientBase | pg.Pool, key: string | undefined): Promise<ApiKeyRow> {
  if (!key) throw new HttpError(401, "UNAUTHORIZED", "Missing API key: send it in the X-API-KEY header");
  const hashed = createHash("sha256").update(key).digest("hex");
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT k."id", k."name", k."revokedAt", k."lastUsedAt", o."id" AS "organizationId", o."allowBulkUpdates",
       o."defaultPhoneCountry", o."currency"
     FROM "ApiKey" k JOIN "Organization" o ON o."id" = k."organizationId" WHERE k."hashedKey" = $1`,
    [hashed],
  );
  const found = rows[0];
  if (!found || found.revokedAt !== null) throw new HttpError(401, "UNAUTHORIZED", "Invalid or revoked API key");
  // Like the app: lastUsedAt at most once a minute, off the request's path.
  const now = Date.now();
  if (now - Math.max(lastUsedWrites.get(found.id) ?? 0, found.lastUsedAt?.getTime() ?? 0) >= 60_000) {
    lastUsedWrites.set(found.id, now);
    pool.query(`UPDATE "ApiKey" SET "lastUsedAt" = $2 WHERE "id" = $1`, [found.id, new Date(now)]).catch(() => undefined);
  }
  return found;
}

const COLUMN_OF: Record<keyof LeadUpdateData, string> = {
  status: "status",
  value: "value",
  lossReason: "lossReason",
  qualifiedAt: "qualifiedAt",
  wonAt: "wonAt",
  lostAt: "lostAt",
};

/** PATCH /api/leads: key lookup, match (locking), update, note, event, in one transaction. */
async function patchLeads(key: string | undefined, body: unknown, requestId: string): Promise<unknown> {
  const parsed = updateLeadsBodySchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, "VALIDATION_ERROR", parsed.error.issues[0]?.message ?? "Invalid request");
  const { match, changes } = parsed.data;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const apiKey = await authenticate(client, key);
    let condition: string;
    let value: string;
    if (match.by === "id") [condition, value] = [`"id" = $2`, match.id];
    else if (match.by === "email") [condition, value] = [`"emailNormalized" = $2`, match.email];
    else {
      const phone = normalizePhone(match.phone, apiKey.defaultPhoneCountry);
      if (!phone.ok) throw new HttpError(400, "VALIDATION_ERROR", `phone: ${phone.message}`);
      [condition, value] = [`"phoneNormalized" = $2`, phone.value];
    }
    const matched = await client.query<LeadRecord>(
      `SELECT ${LEAD_COLUMNS} FROM "Lead" WHERE "organizationId" = $1 AND ${condition} ORDER BY "createdAt", "id" FOR UPDATE`,
      [apiKey.organizationId, value],
    );
    if (matched.rows.length === 0) throw new HttpError(404, "NOT_FOUND", "No lead matches the given identifier");
    if (matched.rows.length > 1 && !apiKey.allowBulkUpdates) throw new HttpError(409, "CONFLICT", `${matched.rows.length} leads match`);

    const now = new Date();
    const leads = [];
    let changed = 0;
    for (const lead of matched.rows) {
      const { data, diff } = planLeadUpdate(lead, changes, now);
      const fieldsChanged = Object.keys(diff).length > 0;
      if (!fieldsChanged && changes.note === undefined) {
        leads.push(serializeLead(lead));
        continue;
      }
      const sets: string[] = [`"updatedAt" = $2`];
      const params: unknown[] = [lead.id, now];
      if (fieldsChanged) {
        for (const [field, v] of Object.entries(data) as [keyof LeadUpdateData, unknown][]) {
          params.push(v);
          sets.push(`"${COLUMN_OF[field]}" = $${params.length}${field === "status" ? `::"LeadStatus"` : ""}`);
        }
        sets.push(`"version" = "version" + 1`);
      }
      const updated = await client.query<LeadRecord>(`UPDATE "Lead" SET ${sets.join(", ")} WHERE "id" = $1 RETURNING ${LEAD_COLUMNS}`, params);
      const row = updated.rows[0];
      if (row) leads.push(serializeLead(row));

      let noteId: string | null = null;
      if (changes.note !== undefined) {
        noteId = newId("note");
        await client.query(
          `INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "authorApiKeyId", "createdAt") VALUES ($1, $2, $3, $4, $5, $6)`,
          [noteId, apiKey.organizationId, lead.id, changes.note, apiKey.id, now],
        );
      }
      await client.query(
        `INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorApiKeyId", "actorName",
           "source", "requestId", "noteId", "createdAt")
         VALUES ($1, $2, $3, 'updated', $4, 'api_key', $5, $6, 'api', $7, $8, $9)`,
        [newId("evt"), apiKey.organizationId, lead.id, JSON.stringify(diff), apiKey.id, apiKey.name, requestId, noteId, now],
      );
      changed++;
    }
    await client.query("COMMIT");
    return { leadId: leads[0]?.id, leadsUpdated: leads.length, leadIds: leads.map((l) => l.id), leads, changed };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

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
    pool.query<LeadRecord>(
      `SELECT ${LEAD_COLUMNS} FROM "Lead" WHERE ${whereSql} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${(query.page - 1) * query.limit}`,
      params,
    ),
    pool.query<{ count: string }>(`SELECT count(*) AS "count" FROM "Lead" WHERE ${whereSql}`, params),
  ]);
  const total = Number(count.rows[0]?.count ?? 0);
  return {
    data: rows.rows.map(serializeLead),
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
