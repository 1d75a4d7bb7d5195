import "server-only";
import { LRUCache } from "lru-cache";
import type { Cursor } from "./list-query";

/**
 * Deep `page` requests without reading the offset again. An offset page costs one index entry per
 * lead it skips, and after writes each of those entries also visits the table (the visibility map
 * is cleared): `page=200` at 50 a page reads ~10,000 of them, about 5 ms of PostgreSQL's CPU. So
 * when a page at least REMEMBER_FROM_OFFSET leads deep is read, this process remembers, per list
 * (filter and sort), where it starts and where the next one starts, as keyset positions. For
 * BOUNDARY_TTL_MS after, the same page, and the page after it (a client walking page=1, 2, 3, …),
 * starts from that position: one index read of a page, as with a cursor.
 *
 * What it changes for a client: a deep page asked for again within the time to live starts where
 * it started then, so a lead added or moved before it in that time does not shift it (as with
 * a cursor). Shallower pages and any page after the time to live read their offset afresh.
 * Derived data only: each instance has its own, a restart forgets it, and a miss costs one offset
 * read. docs/api.md says so under `page`.
 */

export const BOUNDARY_TTL_MS = 10_000;
export const REMEMBER_FROM_OFFSET = 1_000;
const MAX_BOUNDARIES = 10_000;

// Date.now (not performance.now) and no cached clock: tests move the clock with a spy on Date.now.
const boundaries = new LRUCache<string, Cursor>({ max: MAX_BOUNDARIES, ttl: BOUNDARY_TTL_MS, ttlResolution: 0, perf: Date });

const keyOf = (listKey: string, offset: number) => `${listKey}\u0000${offset}`;

/** Where the lead at `offset` of this list was found within the time to live: the keyset position just before it. */
export function pageBoundary(listKey: string, offset: number): Cursor | null {
  if (offset < REMEMBER_FROM_OFFSET) return null;
  return boundaries.get(keyOf(listKey, offset)) ?? null;
}

/** Remembers that the lead at `offset` of this list comes right after `position` (deep offsets only). */
export function rememberPageBoundary(listKey: string, offset: number, position: Cursor): void {
  if (offset >= REMEMBER_FROM_OFFSET) boundaries.set(keyOf(listKey, offset), position);
}

/** For tests: forget every boundary. */
export function forgetPageBoundaries(): void {
  boundaries.clear();
}
