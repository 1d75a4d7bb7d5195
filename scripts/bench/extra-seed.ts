import type pg from "pg";
import { encodeCursor } from "@/lib/leads/list-query";

/**
 * What the list cases of the bench need beyond the bulk seed (scripts/bench/seed.ts): five leads that a
 * rare search term finds, one lead with a long history, and cursors deep into the list.
 */

/** Matches the five leads below and nothing else of the seed (no seeded name, e-mail or phone contains it). */
export const RARE_SEARCH_TERM = "quorra";

export async function seedRareLeads(db: pg.ClientBase, organizationId: string): Promise<void> {
  await db.query(
    `INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "source", "status", "currency", "createdAt", "updatedAt")
     SELECT 'lead_rare' || i, $1, 'Quorra Vexley ' || i, 'quorra.vexley' || i || '@rare.example', 'quorra.vexley' || i || '@rare.example',
       'api', 'open', 'USD', timestamp '2025-06-01' + i * interval '1 day', timestamp '2025-06-01' + i * interval '1 day'
     FROM generate_series(1, 5) AS i`,
    [organizationId],
  );
}

/** A lead with `events` history events (every 10th with its note); returns its id. */
export async function seedHeavyLead(db: pg.ClientBase, organizationId: string, events: number): Promise<string> {
  const leadId = "lead_heavy_history";
  await db.query(
    `INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "source", "status", "value", "currency", "createdAt", "updatedAt")
     VALUES ($2, $1, 'Hattie Historia', 'hattie@history.example', 'hattie@history.example', 'api', 'qualified', 1000, 'USD', timestamp '2024-01-01', now())`,
    [organizationId, leadId],
  );
  await db.query(
    `WITH notes AS (
       INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "createdAt")
       SELECT 'note_heavy' || i, $1, $2, 'Call #' || i || ': talked about the renewal.', timestamp '2024-01-01' + i * interval '1 minute'
       FROM generate_series(1, $3::int) AS i WHERE i % 10 = 0
       RETURNING "id")
     INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorName", "source", "noteId", "createdAt")
     SELECT 'evt_heavy' || i, $1, $2, 'updated', jsonb_build_object('value', jsonb_build_object('from', i, 'to', i + 1)),
       'system', 'Bench seed', 'import', CASE WHEN i % 10 = 0 THEN 'note_heavy' || i END, timestamp '2024-01-01' + i * interval '1 minute'
     FROM generate_series(1, $3::int) AS i`,
    [organizationId, leadId, events],
  );
  await db.query(`ANALYZE "Lead"`);
  await db.query(`ANALYZE "LeadEvent"`);
  await db.query(`ANALYZE "LeadNote"`);
  return leadId;
}

/** Cursors of the default list (newest first) after 10,000, 20,000, … 50,000 leads (fewer in a small run). */
export async function deepCursors(db: pg.ClientBase, organizationId: string): Promise<string[]> {
  const { rows: counted } = await db.query<{ n: number }>(`SELECT count(*)::int AS "n" FROM "Lead" WHERE "organizationId" = $1`, [organizationId]);
  const total = counted[0]?.n ?? 0;
  const positions = [10_000, 20_000, 30_000, 40_000, 50_000].map((p) => Math.min(p, Math.max(1, total - 100)));
  const cursors: string[] = [];
  for (const position of [...new Set(positions)]) {
    const { rows } = await db.query<{ key: string; id: string }>(
      `SELECT to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "key", "id" FROM "Lead" WHERE "organizationId" = $1
       ORDER BY "createdAt" DESC, "id" DESC OFFSET $2 LIMIT 1`,
      [organizationId, position - 1],
    );
    const row = rows[0];
    if (row) cursors.push(encodeCursor({ sort: "createdAt:desc", key: row.key, id: row.id, before: false }));
  }
  return cursors;
}
