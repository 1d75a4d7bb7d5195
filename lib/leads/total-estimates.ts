import "server-only";

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

const remembered = new Map<string, { total: number; at: number }>();

/** The estimate remembered for this filter, or null when there is none or it is older than the time to live. */
export function rememberedEstimate(filterKey: string, now = Date.now()): number | null {
  const entry = remembered.get(filterKey);
  if (!entry) return null;
  if (now - entry.at >= ESTIMATE_TTL_MS) {
    remembered.delete(filterKey);
    return null;
  }
  return entry.total;
}

/** Remembers an estimate; the oldest entry goes when the map is full. */
export function rememberEstimate(filterKey: string, total: number, now = Date.now()): void {
  remembered.delete(filterKey);
  if (remembered.size >= MAX_REMEMBERED_ESTIMATES) {
    const oldest = remembered.keys().next();
    if (!oldest.done) remembered.delete(oldest.value);
  }
  remembered.set(filterKey, { total, at: now });
}

/** For tests: forget every estimate. */
export function forgetEstimates(): void {
  remembered.clear();
}
