import { Prisma } from "@/lib/generated/prisma/client";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { validationError } from "@/lib/errors";
import { toIsoString } from "@/lib/iso-time";
import { escapeLike } from "./escape-like";
import { normalizeEmail, normalizePhone, phoneDigits } from "./normalize";
import type { ListLeadsQuery } from "./schemas";
import type { LeadRecord } from "./serialize";
import { LEAD_COLUMNS } from "./store/sql";

/**
 * The SQL of the leads list, as pure builders (no database here): the filter, the keyset segments,
 * the cursors, the bounded count and the estimate. lib/leads/list-leads.ts runs them; the bench
 * EXPLAINs the very same statements (scripts/bench/explain.ts).
 */

/** Up to this many matches the total is exact; above it, an estimate (totalIsEstimate: true). */
export const EXACT_TOTAL_LIMIT = 10_000;

export type SortField = ListLeadsQuery["sort"]["field"];
export type Direction = "asc" | "desc";

/** The lead store's one column list (rows are read with leadRecordFromRow). */
const LIST_COLUMNS = Prisma.raw(LEAD_COLUMNS);

/** Qualified, so ORDER BY sorts the column and not the selected text of the same name ("value"::text AS "value"). */
const SORT_COLUMN: Record<SortField, Prisma.Sql> = {
  createdAt: Prisma.raw(`"Lead"."createdAt"`),
  updatedAt: Prisma.raw(`"Lead"."updatedAt"`),
  value: Prisma.raw(`"Lead"."value"`),
  name: Prisma.raw(`"Lead"."name"`),
};
/** Value and name may be NULL; those leads come last in both directions. */
export const NULLABLE: ReadonlySet<SortField> = new Set(["value", "name"]);

/**
 * ORDER BY of one direction, spelled exactly as an index of the sort is read, so no sort step is needed:
 * (organizationId, createdAt DESC, id DESC) and (…, updatedAt DESC, id DESC) read either way;
 * (organizationId, value, id) and (…, name, id) are ASC NULLS LAST, read backwards DESC NULLS FIRST
 * (the NULLs are read as a range of their own, so where they sit in the index does not matter).
 */
function orderBy(field: SortField, dir: Direction): Prisma.Sql {
  const nulls = NULLABLE.has(field) ? (dir === "asc" ? " NULLS LAST" : " NULLS FIRST") : "";
  return Prisma.sql`${SORT_COLUMN[field]} ${Prisma.raw(dir.toUpperCase() + nulls)}, "Lead"."id" ${Prisma.raw(dir.toUpperCase())}`;
}

function keyValue(field: SortField, key: string): Prisma.Sql {
  if (field === "createdAt" || field === "updatedAt") return Prisma.sql`${key}::timestamp(3)`;
  if (field === "value") return Prisma.sql`${key}::numeric`;
  return Prisma.sql`${key}::text`;
}

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of JSON {s: sort, k: sort key (text, or null), i: id, d: "a" after | "b" before}

export interface Cursor {
  sort: string;
  key: string | null;
  id: string;
  before: boolean;
}

export const sortName = (sort: ListLeadsQuery["sort"]) => `${sort.field}:${sort.direction}`;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, k: cursor.key, i: cursor.id, d: cursor.before ? "b" : "a" }), "utf8").toString("base64url");
}

const KEY_FORMAT: Record<SortField, RegExp> = {
  createdAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  updatedAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  value: /^-?\d{1,12}(\.\d{1,2})?$/,
  name: /^[\s\S]{0,1000}$/,
};

export function decodeCursor(raw: string, sort: ListLeadsQuery["sort"]): Cursor {
  const invalid = () => validationError([{ field: "cursor", message: "is not a cursor of this list; start again without it" }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid();
  const { s, k, i, d } = parsed as Record<string, unknown>;
  if (typeof s !== "string" || typeof i !== "string" || i.length > 200 || (d !== "a" && d !== "b")) throw invalid();
  if (s !== sortName(sort)) {
    throw validationError([{ field: "cursor", message: `belongs to sort=${s}; send the same sort with it, or start again without it` }]);
  }
  if (k !== null && (typeof k !== "string" || !KEY_FORMAT[sort.field].test(k))) throw invalid();
  if (k === null && !NULLABLE.has(sort.field)) throw invalid();
  if (k !== null && (sort.field === "createdAt" || sort.field === "updatedAt") && Number.isNaN(Date.parse(k))) throw invalid();
  return { sort: s, key: k, id: i, before: d === "b" };
}

export function sortKeyOf(field: SortField, lead: LeadRecord): string | null {
  switch (field) {
    case "createdAt":
      return toIsoString(lead.createdAt);
    case "updatedAt":
      return toIsoString(lead.updatedAt);
    case "value":
      return lead.value === null ? null : lead.value.toString();
    case "name":
      return lead.name;
  }
}

// ---------------------------------------------------------------------------------------------
// Filter

/** The WHERE of a list query: always the organization, then the filters. Search terms match literally. */
export function leadFilterSql(organization: OrganizationSettings, query: ListLeadsQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`"organizationId" = ${organization.id}`];
  if (query.status?.length === 1) conditions.push(Prisma.sql`"status" = ${query.status[0]}::"LeadStatus"`);
  else if (query.status?.length) conditions.push(Prisma.sql`"status" = ANY(${query.status}::text[]::"LeadStatus"[])`);
  if (query.email !== undefined) {
    const email = normalizeEmail(query.email);
    if (!email.ok) throw validationError([{ field: "email", message: email.message }]);
    conditions.push(Prisma.sql`"emailNormalized" = ${email.value}`);
  }
  if (query.phone !== undefined) {
    const phone = normalizePhone(query.phone, organization.defaultPhoneCountry);
    if (!phone.ok) throw validationError([{ field: "phone", message: phone.message }]);
    conditions.push(Prisma.sql`"phoneNormalized" = ${phone.value}`);
  }
  if (query.requestId !== undefined) {
    // The leads one request changed: every change writes an event carrying its request id.
    conditions.push(
      Prisma.sql`"id" IN (SELECT "leadId" FROM "LeadEvent" WHERE "organizationId" = ${organization.id} AND "requestId" = ${query.requestId})`,
    );
  }
  if (query.search !== undefined) {
    // Each branch is served by a trigram index (name with ILIKE, the normalised e-mail and phone with LIKE).
    const term = escapeLike(query.search);
    const or: Prisma.Sql[] = [Prisma.sql`"name" ILIKE ${`%${term}%`}`, Prisma.sql`"emailNormalized" LIKE ${`%${term.toLowerCase()}%`}`];
    const digits = phoneDigits(query.search);
    if (digits.length >= 3) or.push(Prisma.sql`"phoneNormalized" LIKE ${`%${digits}%`}`);
    conditions.push(Prisma.sql`(${Prisma.join(or, " OR ")})`);
  }
  return Prisma.join(conditions, " AND ");
}

// ---------------------------------------------------------------------------------------------
// Pages in segments: for a nullable sort, the leads with a value and the leads without one are two
// index ranges read one after the other, each in index order, so every read stops after a page.

export interface Segment {
  nulls: boolean;
  dir: Direction;
}

export function segmentsFrom(field: SortField, sortDir: Direction, backward: boolean): Segment[] {
  const dir: Direction = backward ? (sortDir === "asc" ? "desc" : "asc") : sortDir;
  if (!NULLABLE.has(field)) return [{ nulls: false, dir }];
  // Forward: the values, then the NULLs. Backward: the reverse.
  return backward ? [{ nulls: true, dir }, { nulls: false, dir }] : [{ nulls: false, dir }, { nulls: true, dir }];
}

function segmentWhere(field: SortField, segment: Segment, after: Cursor | null): Prisma.Sql {
  const column = SORT_COLUMN[field];
  const op = Prisma.raw(segment.dir === "asc" ? ">" : "<");
  const parts: Prisma.Sql[] = [];
  if (NULLABLE.has(field)) parts.push(segment.nulls ? Prisma.sql`${column} IS NULL` : Prisma.sql`${column} IS NOT NULL`);
  if (after) {
    if (segment.nulls) parts.push(Prisma.sql`"id" ${op} ${after.id}`);
    else parts.push(Prisma.sql`(${column}, "id") ${op} (${keyValue(field, after.key ?? "")}, ${after.id})`);
  }
  return parts.length ? Prisma.sql` AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}


/**
 * One segment's page: the leads of the segment after `from`, in index order. With an offset (a
 * `page` deep in the list), the offset is passed over reading ids only, which the sort's index
 * holds (an index-only scan), and only the page's rows are then read from the table ("deferred
 * join"): `page=200` no longer fetches the 9,950 rows before it.
 */
export function segmentPageSql(where: Prisma.Sql, field: SortField, segment: Segment, from: Cursor | null, take: number, offset: number): Prisma.Sql {
  const range = Prisma.sql`FROM "Lead" WHERE ${where}${segmentWhere(field, segment, from)} ORDER BY ${orderBy(field, segment.dir)}`;
  if (offset === 0) return Prisma.sql`SELECT ${LIST_COLUMNS} ${range} LIMIT ${take}`;
  return Prisma.sql`SELECT ${LIST_COLUMNS} FROM "Lead" WHERE "Lead"."id" IN (SELECT "Lead"."id" ${range} LIMIT ${take} OFFSET ${offset})
    ORDER BY ${orderBy(field, segment.dir)}`;
}

/** How many of the segment's leads an offset passes over (at most `upTo`). */
export function segmentCountSql(where: Prisma.Sql, field: SortField, segment: Segment, from: Cursor | null, upTo: number): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS "n" FROM (SELECT 1 FROM "Lead" WHERE ${where}${segmentWhere(field, segment, from)} LIMIT ${upTo}) AS "s"`;
}

/** The matches, counted up to EXACT_TOTAL_LIMIT + 1 index entries. */
export function boundedCountSql(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS "n" FROM (SELECT 1 FROM "Lead" WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS "matches"`;
}

/** The planner's row estimate of the filter (EXPLAIN's "Plan Rows": table statistics, no rows read). */
export function estimateSql(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM "Lead" WHERE ${where}`;
}

export function roundUpToTwoDigits(n: number): number {
  if (n < 100) return Math.ceil(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}
