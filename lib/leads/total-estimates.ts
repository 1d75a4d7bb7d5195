import "server-only";
import { LRUCache } from "lru-cache";

/**
 * Totals above EXACT_TOTAL_LIMIT are estimates, so this process remembers them for a while per
 * filter: a busy list over a large set then stops counting 10,001 index entries on every page
 * (and a common search term stops scanning for 10,001 matches, ~200 ms at a million leads).
 * Exact totals (at most 10,000 matches) are never remembered: they are counted every time.
 *
 * Derived data only: each instance has its own, a restart forgets it, and a miss costs one count.
 * Within the time to live an estimate can lag the data; it is labelled an estimate anyway.
 */

export const ESTIMATE_TTL_MS = 60_000;
export const MAX_REMEMBERED_ESTIMATES = 1_000;

// Date.now (not performance.now) and no cached clock: tests move the clock with a spy on Date.now.
const remembered = new LRUCache<string, number>({ max: MAX_REMEMBERED_ESTIMATES, ttl: ESTIMATE_TTL_MS, ttlResolution: 0, perf: Date });

/** The estimate remembered for this filter, or null when there is none or it is older than the time to live. */
export function rememberedEstimate(filterKey: string): number | null {
  return remembered.get(filterKey) ?? null;
}

/** Remembers an estimate; the least recently used filter goes when the memory is full. */
export function rememberEstimate(filterKey: string, total: number): void {
  remembered.set(filterKey, total);
}

/** For tests: forget every estimate. */
export function forgetEstimates(): void {
  remembered.clear();
}
