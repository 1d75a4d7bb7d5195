import pg from "pg";
import { generateApiKey, hashApiKey } from "@/lib/api-keys/api-keys";
import { newId } from "@/lib/ids";

/**
 * The bulk case of the bench (issue 9): one PATCH /api/leads whose e-mail matches 10,000 leads,
 * with a status change and a note, then one that matches 50,000. Each runs alone (no other load)
 * in an organization of its own that allows bulk updates up to 50,000 leads, so the list and
 * PATCH cases never see these leads. Prints the time of each request and whether it succeeded.
 */

export interface BulkResult {
  matches: number;
  seconds: number;
  status: number;
  leadsUpdated: number | null;
  replyBytes: number;
  notes: number;
  events: number;
}

export const BULK_SIZES = [10_000, 50_000] as const;

export async function runBulkCases(db: pg.ClientBase, baseUrl: string, log: (line: string) => void): Promise<BulkResult[]> {
  const organizationId = newId("org");
  const apiKey = generateApiKey();
  await db.query(
    `INSERT INTO "Organization" ("id", "name", "slug", "allowBulkUpdates", "maxBulkMatches", "updatedAt")
     VALUES ($1, 'Bench Bulk', 'bench-bulk', true, $2, now())`,
    [organizationId, Math.max(...BULK_SIZES)],
  );
  await db.query(`INSERT INTO "ApiKey" ("id", "organizationId", "name", "hashedKey", "suffix") VALUES ($1, $2, 'Bench bulk key', $3, $4)`, [
    newId("key"),
    organizationId,
    hashApiKey(apiKey),
    apiKey.slice(-4),
  ]);

  const results: BulkResult[] = [];
  for (const size of BULK_SIZES) {
    const email = `campaign-${size}@bulk.example`;
    await db.query(
      `INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "currency", "value", "createdAt", "updatedAt")
       SELECT 'lead_bulk' || $3::text || '_' || i, $1, 'Bulk lead ' || i, $2, $2, 'USD', 100, now() - i * interval '1 second', now()
       FROM generate_series(1, $3::int) AS i`,
      [organizationId, email, size],
    );
    await db.query(`ANALYZE "Lead"`);
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/leads`, {
      method: "PATCH",
      headers: { "X-API-KEY": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ email, status: "qualified", value: 250, note: `Campaign of ${size} leads closed`, onMultiple: "all" }),
    });
    const text = await response.text();
    const seconds = (performance.now() - started) / 1000;
    let leadsUpdated: number | null = null;
    try {
      leadsUpdated = (JSON.parse(text) as { data?: { leadsUpdated?: number } }).data?.leadsUpdated ?? null;
    } catch {
      // Reported as a failure below.
    }
    const counts = await db.query<{ notes: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM "LeadNote" WHERE "organizationId" = $1 AND "body" = $2) AS "notes",
              (SELECT count(*)::int FROM "LeadEvent" e JOIN "Lead" l ON l."id" = e."leadId"
                WHERE e."organizationId" = $1 AND l."emailNormalized" = $3) AS "events"`,
      [organizationId, `Campaign of ${size} leads closed`, email],
    );
    const result = { matches: size, seconds, status: response.status, leadsUpdated, replyBytes: Buffer.byteLength(text), ...counts.rows[0]! };
    log(
      `  bulk PATCH matching ${size.toLocaleString("en-US")} leads with a note: ${seconds.toFixed(2)} s, status ${result.status}, ` +
        `leadsUpdated ${leadsUpdated ?? "-"}, ${result.notes.toLocaleString("en-US")} notes, ${result.events.toLocaleString("en-US")} events, reply ${(result.replyBytes / 1024).toFixed(0)} KB`,
    );
    results.push(result);
  }
  return results;
}

/** Issue 9's figures, printed with the bench's targets. */
export function bulkTargets(results: BulkResult[]): { met: boolean; text: string }[] {
  return results.map((r) => {
    const ok = r.status === 200 && r.leadsUpdated === r.matches && r.notes === r.matches && r.events === r.matches;
    const size = r.matches.toLocaleString("en-US");
    return r.matches <= 10_000
      ? { met: ok && r.seconds < 3, text: `bulk PATCH matching ${size} leads with a note took ${r.seconds.toFixed(2)} s (< 3 s, every lead with its note and event)` }
      : { met: ok, text: `bulk PATCH matching ${size} leads with a note succeeded (${r.seconds.toFixed(2)} s, status ${r.status})` };
  });
}
