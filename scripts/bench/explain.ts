import type pg from "pg";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  boundedCountSql,
  decodeCursor,
  encodeCursor,
  leadFilterSql,
  NULLABLE,
  segmentPageSql,
  segmentsFrom,
} from "@/lib/leads/list-query";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the leads list sends (built by the same functions as
 * lib/leads/list-leads.ts), and of the lead page's history reads, on the bench's seeded data.
 */

/** HISTORY_PAGE_SIZE of lib/leads/get-lead.ts (a server-only module, so not imported here). */
const HISTORY_PAGE = 50;

export interface ExplainedQuery {
  label: string;
  sql: string;
  keyLines: string[];
  plan: string[];
}

async function explain(db: pg.ClientBase, label: string, sql: Prisma.Sql | { text: string; values: unknown[] }): Promise<ExplainedQuery> {
  const { rows } = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values as unknown[]);
  const plan = rows.map((r) => r["QUERY PLAN"]);
  // The plan's nodes (with the index each one reads), the buffers of the whole statement and its time.
  const keyLines = plan.filter((line, i) => i === 0 || line.includes("->") || (i === 1 && line.includes("Buffers")) || line.startsWith("Execution Time"));
  return { label, sql: sql.text, keyLines: keyLines.map((l) => l.trim().replace(/\s+/g, " ").slice(0, 160)), plan };
}

export async function explainListQueries(
  db: pg.ClientBase,
  organizationId: string,
  fixtures: { rareTerm: string; heavyLeadId: string; deepCursor: string | null },
): Promise<ExplainedQuery[]> {
  const organization = { id: organizationId, allowBulkUpdates: false, defaultPhoneCountry: "US", currency: "USD" };
  const { rows: sample } = await db.query<{ email: string; phone: string }>(
    `SELECT "email", "phone" FROM "Lead" WHERE "organizationId" = $1 AND "email" IS NOT NULL AND "phone" IS NOT NULL ORDER BY "id" LIMIT 1`,
    [organizationId],
  );
  const { rows: deepValue } = await db.query<{ key: string; id: string }>(
    `SELECT "value"::text AS "key", "id" FROM "Lead" WHERE "organizationId" = $1 AND "value" IS NOT NULL
     ORDER BY "value" DESC, "id" DESC OFFSET 10000 LIMIT 1`,
    [organizationId],
  );
  const valueCursor = deepValue[0] ? encodeCursor({ sort: "value:desc", key: deepValue[0].key, id: deepValue[0].id, before: false }) : null;

  const shapes: [string, Record<string, string>][] = [
    ["default first page", {}],
    ["status=won", { status: "won" }],
    ["status=open,qualified", { status: "open,qualified" }],
    ["sort=createdAt:asc", { sort: "createdAt:asc" }],
    ["sort=value:desc", { sort: "value:desc" }],
    ["sort=value:asc", { sort: "value:asc" }],
    ["sort=name:asc", { sort: "name:asc" }],
    ["sort=name:desc", { sort: "name:desc" }],
    ["status=won&sort=value:desc", { status: "won", sort: "value:desc" }],
    ["search=garc (prefix, common: ~2.5% of leads)", { search: "garc" }],
    ["search=arci (substring, common)", { search: "arci" }],
    [`search=${fixtures.rareTerm} (rare: 5 leads)`, { search: fixtures.rareTerm }],
    ["search=gmail (very common: ~10% of leads)", { search: "gmail" }],
    ["email=<one lead's>", { email: sample[0]?.email ?? "x@example.com" }],
    ["phone=<one lead's>", { phone: sample[0]?.phone ?? "+14155550100" }],
    ["status=won&page=200 (offset 9,950)", { status: "won", page: "200" }],
  ];
  if (fixtures.deepCursor) shapes.push(["cursor after 10,000 rows (newest first)", { cursor: fixtures.deepCursor }]);
  if (valueCursor) shapes.push(["cursor after 10,000 rows (sort=value:desc)", { sort: "value:desc", cursor: valueCursor }]);

  const out: ExplainedQuery[] = [];
  for (const [label, params] of shapes) {
    const query = listLeadsQuerySchema.parse({ limit: "50", ...params });
    const where = leadFilterSql(organization, query);
    const { field, direction } = query.sort;
    const from = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
    const segments = segmentsFrom(field, direction, false);
    const segment = (from && NULLABLE.has(field) ? segments.find((s) => s.nulls === (from.key === null)) : segments[0]) ?? segments[0]!;
    const offset = query.page ? (query.page - 1) * query.limit : 0;
    out.push(await explain(db, `page: ${label}`, segmentPageSql(where, field, segment, from, query.limit + 1, offset)));
    if (!query.cursor && !query.page && (label.startsWith("default") || label.startsWith("status=won") || label.startsWith("search") || label.startsWith("email"))) {
      if (!label.includes("&sort")) out.push(await explain(db, `count: ${label}`, boundedCountSql(where)));
    }
  }

  // The lead page: newest events and notes of a lead with 10,000 events, and a page deep into its history.
  const history = (table: "LeadEvent" | "LeadNote", cursor: { at: string; id: string } | null) => ({
    text: `SELECT * FROM "${table}" WHERE "leadId" = $1${
      cursor ? ` AND "createdAt" <= $2::timestamp(3) AND ("createdAt" < $2::timestamp(3) OR ("createdAt" = $2::timestamp(3) AND "id" < $3))` : ""
    } ORDER BY "createdAt" DESC, "id" DESC LIMIT ${HISTORY_PAGE + 1}`,
    values: cursor ? [fixtures.heavyLeadId, cursor.at, cursor.id] : [fixtures.heavyLeadId],
  });
  out.push(await explain(db, "history: newest events of a lead with 10,000", history("LeadEvent", null)));
  out.push(await explain(db, "history: newest notes of that lead", history("LeadNote", null)));
  const { rows: middle } = await db.query<{ at: string; id: string }>(
    `SELECT to_char("createdAt", 'YYYY-MM-DD HH24:MI:SS.MS') AS "at", "id" FROM "LeadEvent" WHERE "leadId" = $1 ORDER BY "createdAt" DESC, "id" DESC OFFSET 5000 LIMIT 1`,
    [fixtures.heavyLeadId],
  );
  if (middle[0]) out.push(await explain(db, "history: events after 5,000 (cursor)", history("LeadEvent", middle[0])));
  return out;
}
