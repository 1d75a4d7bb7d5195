/**
 * The raw PATCH /api/leads of the bench: plain SQL through `pg`, no framework, no ORM. Shared by the
 * raw baseline (scripts/bench/baseline-server.ts, node:http) and the framework floor
 * (scripts/bench/floor, a bare Next.js route handler), so both run exactly the same statements and
 * the difference between them is the framework's own cost per request.
 */
import { createHash, randomInt } from "node:crypto";
import type pg from "pg";
import type { ApiKeyRow } from "@/lib/api-keys/api-keys";
import { normalizePhone } from "@/lib/leads/normalize";
import { planLeadUpdate, type LeadUpdateData } from "@/lib/leads/plan-update";
import { updateLeadsBodySchema } from "@/lib/leads/schemas";
import { serializeLead, type LeadRecord } from "@/lib/leads/serialize";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
export function newId(prefix: string, length = 16): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}_${out}`;
}

export const LEAD_COLUMNS = `"id", "name", "email", "phone", "company", "source", "status"::text AS "status",
  "value"::text AS "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version"`;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The key lookup and PATCH of the raw servers, on their pool. */
export function rawLeadsApi(pool: pg.Pool) {
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

  return { authenticate, patchLeads };
}
