import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { escapeLike } from "./escape-like";
import { normalizeEmail, normalizePhone, phoneDigits } from "./normalize";
import type { ListLeadsQuery } from "./schemas";
import { serializeLead, type LeadDto, type LeadRecord } from "./serialize";

/**
 * The leads list at any size: keyset (cursor) pages read in index order, `page` (offset) kept for
 * existing clients up to a bounded depth, and a total that is exact up to EXACT_TOTAL_LIMIT matches
 * and an estimate above it. No query here reads more rows than a page, the page's offset, or
 * EXACT_TOTAL_LIMIT + 1 index entries. Plans at 1M leads: docs/performance.md.
 */

/** Up to this many matches the total is exact; above it, an estimate (totalIsEstimate: true). */
export const EXACT_TOTAL_LIMIT = 10_000;

export interface Pagination {
  /** Page number of an offset (`page`) request; null when the page was reached by cursor. */
  page: number | null;
  limit: number;
  /** Exact while the filter matches at most 10,000 leads; else an estimate (totalIsEstimate). */
  total: number;
  totalIsEstimate: boolean;
  totalPages: number;
  hasMore: boolean;
  /** Cursor of the page after this one (null on the last page). */
  nextCursor: string | null;
  /** Cursor of the page before this one (null on the first page). */
  prevCursor: string | null;
}

export interface ListLeadsResult {
  leads: LeadDto[];
  pagination: Pagination;
}

type SortField = ListLeadsQuery["sort"]["field"];
type Direction = "asc" | "desc";

const LIST_COLUMNS = Prisma.sql`"id", "name", "email", "phone", "company", "source", "status"::text AS "status",
  "value"::text AS "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version"`;

/** Qualified, so ORDER BY sorts the column and not the selected text of the same name ("value"::text AS "value"). */
const SORT_COLUMN: Record<SortField, Prisma.Sql> = {
  createdAt: Prisma.raw(`"Lead"."createdAt"`),
  updatedAt: Prisma.raw(`"Lead"."updatedAt"`),
  value: Prisma.raw(`"Lead"."value"`),
  name: Prisma.raw(`"Lead"."name"`),
};
/** Value and name may be NULL; those leads come last in both directions. */
const NULLABLE: ReadonlySet<SortField> = new Set(["value", "name"]);

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

interface Cursor {
  sort: string;
  key: string | null;
  id: string;
  before: boolean;
}

const sortName = (sort: ListLeadsQuery["sort"]) => `${sort.field}:${sort.direction}`;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, k: cursor.key, i: cursor.id, d: cursor.before ? "b" : "a" }), "utf8").toString("base64url");
}

const KEY_FORMAT: Record<SortField, RegExp> = {
  createdAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  updatedAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  value: /^-?\d{1,12}(\.\d{1,2})?$/,
  name: /^[\s\S]{0,1000}$/,
};

function decodeCursor(raw: string, sort: ListLeadsQuery["sort"]): Cursor {
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

function sortKeyOf(field: SortField, lead: LeadRecord): string | null {
  switch (field) {
    case "createdAt":
      return lead.createdAt.toISOString();
    case "updatedAt":
      return lead.updatedAt.toISOString();
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

interface Segment {
  nulls: boolean;
  dir: Direction;
}

function segmentsFrom(field: SortField, sortDir: Direction, backward: boolean): Segment[] {
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
 * Up to `take` leads in the order of the segments, starting strictly after `from` (in the reading
 * direction) and skipping `offset` leads first.
 */
async function readSegments(
  where: Prisma.Sql,
  field: SortField,
  segments: Segment[],
  from: Cursor | null,
  take: number,
  offset: number,
): Promise<LeadRecord[]> {
  // A cursor on a NULL key starts inside the NULL segment; on a value, in the values segment.
  let start = 0;
  if (from && NULLABLE.has(field)) start = segments.findIndex((s) => s.nulls === (from.key === null));
  const rows: LeadRecord[] = [];
  let skip = offset;
  for (let i = start; i < segments.length && rows.length < take; i++) {
    const segment = segments[i]!;
    const condition = Prisma.sql`${where}${segmentWhere(field, segment, i === start ? from : null)}`;
    const page = await prisma.$queryRaw<LeadRecord[]>`
      SELECT ${LIST_COLUMNS} FROM "Lead" WHERE ${condition}
      ORDER BY ${orderBy(field, segment.dir)} LIMIT ${take - rows.length} OFFSET ${skip}`;
    if (skip > 0 && page.length === 0) {
      // The offset reaches past this segment: count it (bounded by the offset) and skip the rest in the next one.
      const [counted] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS "n" FROM (SELECT 1 FROM "Lead" WHERE ${condition} LIMIT ${skip}) AS "s"`;
      skip -= counted?.n ?? 0;
      continue;
    }
    skip = 0;
    rows.push(...page);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Totals

/** The number of matches, counted up to EXACT_TOTAL_LIMIT + 1 index entries; above that, the planner's estimate. */
async function countLeads(where: Prisma.Sql): Promise<{ total: number; totalIsEstimate: boolean }> {
  const [counted] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM (SELECT 1 FROM "Lead" WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS "matches"`;
  const n = counted?.n ?? 0;
  if (n <= EXACT_TOTAL_LIMIT) return { total: n, totalIsEstimate: false };
  return { total: await estimateLeads(where), totalIsEstimate: true };
}

/** The planner's row estimate for the filter (from the table's statistics), at least EXACT_TOTAL_LIMIT + 1, to two significant digits. */
async function estimateLeads(where: Prisma.Sql): Promise<number> {
  const [explained] = await prisma.$queryRaw<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]>`
    EXPLAIN (FORMAT JSON) SELECT 1 FROM "Lead" WHERE ${where}`;
  const planned = explained?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
  return roundUpToTwoDigits(Math.max(planned, EXACT_TOTAL_LIMIT + 1));
}

export function roundUpToTwoDigits(n: number): number {
  if (n < 100) return Math.ceil(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / unit) * unit;
}

/** Sum of the values of every lead the filter matches (exact). The app fetches it apart from the page. */
export async function leadsTotalValue(organization: OrganizationSettings, query: ListLeadsQuery): Promise<number> {
  const where = leadFilterSql(organization, query);
  const [row] = await prisma.$queryRaw<{ sum: string }[]>`SELECT coalesce(sum("value"), 0)::text AS "sum" FROM "Lead" WHERE ${where}`;
  return Number(row?.sum ?? 0);
}

// ---------------------------------------------------------------------------------------------

/** One page of the organization's leads, by cursor or by (bounded) page number, with the filtered total. */
export async function listLeads(organization: OrganizationSettings, query: ListLeadsQuery): Promise<ListLeadsResult> {
  const where = leadFilterSql(organization, query);
  const { field, direction } = query.sort;
  const sort = sortName(query.sort);
  const limit = query.limit;
  const cursor = query.cursor !== undefined ? decodeCursor(query.cursor, query.sort) : null;
  const page = cursor ? null : (query.page ?? 1);
  const offset = page ? (page - 1) * limit : 0;

  const cursorAt = (lead: LeadRecord | undefined, before: boolean) =>
    lead ? encodeCursor({ sort, key: sortKeyOf(field, lead), id: lead.id, before }) : null;

  const countPromise = countLeads(where);
  // A failed page must not leave the count's rejection unhandled.
  countPromise.catch(() => undefined);

  let rows: LeadRecord[];
  let hasMore: boolean;
  let hasPrevious: boolean;
  if (cursor?.before) {
    // Backwards from the cursor, then put back in the list's order.
    const back = await readSegments(where, field, segmentsFrom(field, direction, true), cursor, limit + 1, 0);
    if (back.length <= limit) {
      // Back at the start of the list: show the first page, whole.
      rows = await readSegments(where, field, segmentsFrom(field, direction, false), null, limit + 1, 0);
      hasPrevious = false;
      hasMore = rows.length > limit;
      rows = rows.slice(0, limit);
    } else {
      rows = back.slice(0, limit).reverse();
      hasPrevious = true;
      hasMore = true;
    }
  } else {
    rows = await readSegments(where, field, segmentsFrom(field, direction, false), cursor, limit + 1, offset);
    hasMore = rows.length > limit;
    rows = rows.slice(0, limit);
    hasPrevious = cursor !== null || offset > 0;
  }

  const { total, totalIsEstimate } = await countPromise;
  return {
    leads: rows.map(serializeLead),
    pagination: {
      page,
      limit,
      total,
      totalIsEstimate,
      totalPages: Math.max(1, Math.ceil(total / limit)),
      hasMore,
      nextCursor: hasMore ? cursorAt(rows.at(-1), false) : null,
      prevCursor: hasPrevious ? cursorAt(rows[0], true) : null,
    },
  };
}
