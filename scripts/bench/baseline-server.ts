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
import { planLeadUpdate } from "@/lib/leads/plan-update";
import { listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { serializeLead } from "@/lib/leads/serialize";
import { leadRecordFromRow, type LeadEventRow, type LeadNoteRow, type LeadRow, type LeadUpdateWrite } from "@/lib/leads/store/record";
import { LEAD_COLUMNS, lockMatchingSql, WRITE_CHANGES_SQL, writeChangesParams, type MatchColumn } from "@/lib/leads/store/sql";

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

/**
 * PATCH /api/leads: key lookup, match (locking), then the lead store's own statements (imported
 * from lib/leads/store/sql, not copied): one set-based statement writes the changes, notes and
 * events. Single matches only, as the bench sends.
 */
async function patchLeads(key: string | undefined, body: unknown, requestId: string): Promise<unknown> {
  const parsed = updateLeadsBodySchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, "VALIDATION_ERROR", parsed.error.issues[0]?.message ?? "Invalid request");
  const { match, changes } = parsed.data;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const apiKey = await authenticate(client, key);
    let column: MatchColumn;
    let value: string;
    if (match.by === "id") [column, value] = ["id", match.id];
    else if (match.by === "email") [column, value] = ["emailNormalized", match.email];
    else {
      const phone = normalizePhone(match.phone, apiKey.defaultPhoneCountry);
      if (!phone.ok) throw new HttpError(400, "VALIDATION_ERROR", `phone: ${phone.message}`);
      [column, value] = ["phoneNormalized", phone.value];
    }
    const matched = (await client.query<LeadRow>(lockMatchingSql(column), [apiKey.organizationId, value, 2])).rows.map(leadRecordFromRow);
    if (matched.length === 0) throw new HttpError(404, "NOT_FOUND", "No lead matches the given identifier");
    if (matched.length > 1) throw new HttpError(409, "CONFLICT", "Several leads match");

    const now = new Date();
    const writes: LeadUpdateWrite[] = [];
    const notes: LeadNoteRow[] = [];
    const events: LeadEventRow[] = [];
    for (const lead of matched) {
      const { data, diff } = planLeadUpdate(lead, changes, now);
      const fieldsChanged = Object.keys(diff).length > 0;
      if (!fieldsChanged && changes.note === undefined) continue;
      writes.push({ leadId: lead.id, data, bumpVersion: fieldsChanged });
      const base = { organizationId: apiKey.organizationId, leadId: lead.id, createdAt: now };
      const note = changes.note === undefined ? null : { ...base, id: newId("note"), body: changes.note, authorUserId: null, authorApiKeyId: apiKey.id };
      if (note) notes.push(note);
      events.push({
        ...base,
        id: newId("evt"),
        type: "updated",
        changes: diff,
        actorType: "api_key",
        actorUserId: null,
        actorApiKeyId: apiKey.id,
        actorName: apiKey.name,
        source: "api",
        requestId,
        noteId: note?.id ?? null,
      });
    }
    const written =
      writes.length > 0
        ? (await client.query<LeadRow>(WRITE_CHANGES_SQL, writeChangesParams(writes, notes, events, now, matched.map((l) => l.id)))).rows.map(leadRecordFromRow)
        : [];
    await client.query("COMMIT");
    const byId = new Map(written.map((lead) => [lead.id, lead]));
    const leads = matched.map((lead) => serializeLead(byId.get(lead.id) ?? lead));
    return { leadId: leads[0]?.id, leadsUpdated: leads.length, leadIds: leads.map((l) => l.id), leads, changed: events.length };
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
  const query = parsed.data;
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
