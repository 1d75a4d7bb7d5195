import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { rawSql } from "@/lib/db/client";
import {
  boundedCountSql,
  decodeCursor,
  encodeCursor,
  estimateSql,
  EXACT_TOTAL_LIMIT,
  leadFilterSql,
  NULLABLE,
  roundUpToTwoDigits,
  segmentCountSql,
  segmentPageSql,
  segmentsFrom,
  sortKeyOf,
  sortName,
  type Cursor,
  type Segment,
  type SortField,
} from "./list-query";
import type { ListLeadsQuery } from "./schemas";
import { leadRecordFromRow, type LeadRow } from "./store/record";
import { pageBoundary, rememberPageBoundary } from "./page-boundaries";
import { rememberedEstimate, rememberEstimate } from "./total-estimates";
import { serializeLead, type LeadDto, type LeadRecord } from "./serialize";

/** The lists are planned for each run's filter, search term and sort (lib/db/client: a generic plan reads far more for some values). */
const read = <T extends object>(statement: Prisma.Sql): Promise<T[]> => rawSql<T>(statement, { planEachRun: true });

export { EXACT_TOTAL_LIMIT } from "./list-query";

/**
 * The leads list at any size: keyset (cursor) pages read in index order, `page` (offset) kept for
 * existing clients up to a bounded depth, and a total that is exact up to EXACT_TOTAL_LIMIT matches
 * and an estimate above it. No query here reads more rows than a page, the page's offset, or
 * EXACT_TOTAL_LIMIT + 1 index entries. Plans at 1M leads: docs/performance.md.
 */

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
    const after = i === start ? from : null;
    const page = (await read<LeadRow>(segmentPageSql(where, field, segment, after, take - rows.length, skip))).map(leadRecordFromRow);
    if (skip > 0 && page.length === 0) {
      // The offset reaches past this segment: count it (bounded by the offset) and skip the rest in the next one.
      const [counted] = await read<{ n: number }>(segmentCountSql(where, field, segment, after, skip));
      skip -= counted?.n ?? 0;
      continue;
    }
    skip = 0;
    rows.push(...page);
  }
  return rows;
}

/** What identifies a filter of one organization, for what this process remembers about it. */
const filterKeyOf = (where: Prisma.Sql) => `${where.sql}\u0000${JSON.stringify(where.values)}`;

/**
 * Up to `take` leads from `offset` of the list (a `page` request). A deep page starts from the
 * keyset position remembered for it (./page-boundaries) when there is one; otherwise it skips
 * `offset` leads, reading one more to learn where the page starts. Either way it remembers where
 * it starts and where the next page starts (with `limit` leads a page).
 */
async function readFromOffset(
  where: Prisma.Sql,
  filterKey: string,
  sort: ListLeadsQuery["sort"],
  offset: number,
  take: number,
  limit: number,
): Promise<LeadRecord[]> {
  const { field, direction } = sort;
  const segments = segmentsFrom(field, direction, false);
  const listKey = `${filterKey}\u0000${sortName(sort)}`;
  const positionAfter = (lead: LeadRecord): Cursor => ({ sort: sortName(sort), key: sortKeyOf(field, lead), id: lead.id, before: false });

  const start = pageBoundary(listKey, offset);
  let rows: LeadRecord[];
  if (start || offset === 0) {
    rows = await readSegments(where, field, segments, start, take, 0);
  } else {
    rows = await readSegments(where, field, segments, null, take + 1, offset - 1);
    const before = rows.shift();
    if (before) rememberPageBoundary(listKey, offset, positionAfter(before));
  }
  const last = rows[limit - 1];
  if (rows.length > limit && last) rememberPageBoundary(listKey, offset + limit, positionAfter(last));
  return rows;
}

/**
 * Every lead the filter matches, in the list's order, one batch at a time: the same keyset reads as
 * the list's pages (never OFFSET, never a count), for exports of any size.
 */
export async function* leadsInBatches(organization: OrganizationSettings, query: ListLeadsQuery, batchSize: number): AsyncGenerator<LeadRecord[]> {
  const where = leadFilterSql(organization, query);
  const { field, direction } = query.sort;
  const segments = segmentsFrom(field, direction, false);
  let from: Cursor | null = null;
  for (;;) {
    const rows = await readSegments(where, field, segments, from, batchSize, 0);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    from = { sort: sortName(query.sort), key: sortKeyOf(field, last), id: last.id, before: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Totals

/**
 * The number of matches, counted up to EXACT_TOTAL_LIMIT + 1 index entries; above that, the
 * planner's estimate, which this process then reuses for the same filter for a minute
 * (./total-estimates.ts) instead of counting again.
 */
async function countLeads(where: Prisma.Sql, filterKey: string): Promise<{ total: number; totalIsEstimate: boolean }> {
  const remembered = rememberedEstimate(filterKey);
  if (remembered !== null) return { total: remembered, totalIsEstimate: true };
  const [counted] = await read<{ n: number }>(boundedCountSql(where));
  const n = counted?.n ?? 0;
  if (n <= EXACT_TOTAL_LIMIT) return { total: n, totalIsEstimate: false };
  const total = await estimateLeads(where);
  rememberEstimate(filterKey, total);
  return { total, totalIsEstimate: true };
}

/** The planner's row estimate for the filter (from the table's statistics), at least EXACT_TOTAL_LIMIT + 1, to two significant digits. */
async function estimateLeads(where: Prisma.Sql): Promise<number> {
  const [explained] = await read<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(estimateSql(where));
  const planned = explained?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
  return roundUpToTwoDigits(Math.max(planned, EXACT_TOTAL_LIMIT + 1));
}

/** Sum of the values of every lead the filter matches (exact). The app fetches it apart from the page. */
export async function leadsTotalValue(organization: OrganizationSettings, query: ListLeadsQuery): Promise<number> {
  const where = leadFilterSql(organization, query);
  const [row] = await read<{ sum: string }>(Prisma.sql`SELECT coalesce(sum("value"), 0)::text AS "sum" FROM "Lead" WHERE ${where}`);
  return Number(row?.sum ?? 0);
}

// ---------------------------------------------------------------------------------------------

/** One page of the organization's leads, by cursor or by (bounded) page number, with the filtered total. */
export async function listLeads(organization: OrganizationSettings, query: ListLeadsQuery): Promise<ListLeadsResult> {
  const where = leadFilterSql(organization, query);
  const filterKey = filterKeyOf(where);
  const { field, direction } = query.sort;
  const sort = sortName(query.sort);
  const limit = query.limit;
  const cursor = query.cursor !== undefined ? decodeCursor(query.cursor, query.sort) : null;
  const page = cursor ? null : (query.page ?? 1);
  const offset = page ? (page - 1) * limit : 0;

  const cursorAt = (lead: LeadRecord | undefined, before: boolean) =>
    lead ? encodeCursor({ sort, key: sortKeyOf(field, lead), id: lead.id, before }) : null;

  // A first page that is not full is the whole list: its length is the total, and no count runs
  // (a rare search term then costs one index read, not two). Other pages count alongside the read.
  const firstPage = cursor === null && offset === 0;
  const countPromise = firstPage ? null : countLeads(where, filterKey);
  // A failed page must not leave the count's rejection unhandled.
  countPromise?.catch(() => undefined);

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
    rows = cursor
      ? await readSegments(where, field, segmentsFrom(field, direction, false), cursor, limit + 1, 0)
      : await readFromOffset(where, filterKey, query.sort, offset, limit + 1, limit);
    hasMore = rows.length > limit;
    rows = rows.slice(0, limit);
    hasPrevious = cursor !== null || offset > 0;
  }

  const { total, totalIsEstimate } =
    firstPage && !hasMore ? { total: rows.length, totalIsEstimate: false } : await (countPromise ?? countLeads(where, filterKey));
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
