/**
 * The raw PATCH /api/leads of the bench: plain SQL through `pg`, no framework, no ORM. Shared by the
 * raw baseline (scripts/bench/baseline-server.ts, node:http) and the framework floor
 * (scripts/bench/floor, a bare Next.js route handler), so both run exactly the same statements and
 * the difference between them is the framework's own cost per request. The statements are the lead
 * store's own (lib/leads/store/sql.ts), imported, not copied.
 */
import { createHash, randomInt } from "node:crypto";
import type pg from "pg";
import type { ApiKeyRow } from "@/lib/api-keys/api-keys";
import { normalizePhone } from "@/lib/leads/normalize";
import { planLeadUpdate } from "@/lib/leads/plan-update";
import { updateLeadsBodySchema } from "@/lib/leads/schemas";
import { serializeLead } from "@/lib/leads/serialize";
import { leadRecordFromRow, type LeadEventRow, type LeadNoteRow, type LeadRow, type LeadUpdateWrite } from "@/lib/leads/store/record";
import { LEAD_COLUMNS, lockMatchingSql, WRITE_CHANGES_SQL, writeChangesParams, type MatchColumn } from "@/lib/leads/store/sql";

export { LEAD_COLUMNS };

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
export function newId(prefix: string, length = 16): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}_${out}`;
}

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

  return { authenticate, patchLeads };
}
