import "server-only";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { databaseUrl, logIdleConnectionErrors } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Request limits, counted in PostgreSQL by rate-limiter-flexible (table "rate_limit", created by a
 * Prisma migration), so every app instance on one database shares them. Fixed one-minute windows:
 *   - each API key: its organization's apiRateLimitPerMinute (default 600, set by admins);
 *   - each signed-in user, over the app's session routes and server actions;
 *   - each client IP, for API requests without valid credentials.
 * Sign-in attempts have their own limits (sign-in-limits.ts) on the same store.
 */

export const RATE_LIMIT_TABLE = "rate_limit";
const WINDOW_SECONDS = 60;

const globalForLimits = globalThis as unknown as { leadlineRateLimitPool?: pg.Pool; leadlineLimiters?: Map<string, RateLimiterPostgres> };

/** A small pool of its own, so counting never waits behind the app's queries. */
function storePool(): pg.Pool {
  globalForLimits.leadlineRateLimitPool ??= logIdleConnectionErrors(new pg.Pool({ connectionString: databaseUrl(), max: 4 }), "rate-limit");
  return globalForLimits.leadlineRateLimitPool;
}

export interface LimiterSpec {
  /** Namespace of the keys, e.g. "api-key". */
  prefix: string;
  points: number;
  durationSeconds: number;
  /** Once over the limit, the key stays refused this long (0: until the window ends). */
  blockSeconds?: number;
}

/** One limiter per spec (they share the table and the pool; creating one costs nothing). */
export function limiterFor(spec: LimiterSpec): RateLimiterPostgres {
  const id = `${spec.prefix}|${spec.points}|${spec.durationSeconds}|${spec.blockSeconds ?? 0}`;
  const limiters = (globalForLimits.leadlineLimiters ??= new Map());
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: storePool(),
      storeType: "pool",
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      // Expired rows are deleted by the first limiter only (one timer per process).
      clearExpiredByTimeout: limiters.size === 0,
      keyPrefix: spec.prefix,
      points: spec.points,
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
    });
    limiters.set(id, limiter);
  }
  return limiter;
}

/** What the RateLimit-* headers say about one counted request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

function stateOf(limit: number, res: RateLimiterRes): RateLimitState {
  return { limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Thrown (as an AppError) when over the limit; carries the state for the headers. */
export class RateLimitedError extends AppError {
  constructor(
    readonly state: RateLimitState,
    message: string,
  ) {
    super("RATE_LIMITED", message, { limit: state.limit, retryAfterSeconds: state.resetSeconds });
  }
}

/**
 * Is this rejection rate-limiter-flexible's "over the limit" answer? Next.js bundles the library
 * once per server layer (route handlers, server actions), while the limiters are shared through
 * globalThis: a limiter made by one layer rejects with a RateLimiterRes that is not an instance of
 * the other layer's class. So the check is by shape, not by class alone.
 */
export function isRateLimiterRes(value: unknown): value is RateLimiterRes {
  if (value instanceof RateLimiterRes) return true;
  if (typeof value !== "object" || value === null || value instanceof Error) return false;
  const res = value as Record<string, unknown>;
  return typeof res.remainingPoints === "number" && typeof res.msBeforeNext === "number" && typeof res.consumedPoints === "number";
}

/**
 * Counts one request against `key`: the state on success, a RateLimitedError when over the limit.
 * A failing store (database down) throws its own error, answered like any database failure.
 */
export async function consume(spec: LimiterSpec, key: string, what: string): Promise<RateLimitState> {
  try {
    return stateOf(spec.points, await limiterFor(spec).consume(key));
  } catch (error) {
    if (isRateLimiterRes(error)) {
      const state = stateOf(spec.points, error);
      throw new RateLimitedError(state, `Too many requests for this ${what}: at most ${spec.points} per ${spec.durationSeconds === 60 ? "minute" : `${spec.durationSeconds} s`}. Retry in ${state.resetSeconds} s.`);
    }
    throw error;
  }
}

export function apiKeyLimit(perMinute: number): LimiterSpec {
  return { prefix: "api-key", points: perMinute, durationSeconds: WINDOW_SECONDS };
}

export function userLimit(): LimiterSpec {
  return { prefix: "user", points: env.LEADLINE_RATE_LIMIT_USER_PER_MINUTE, durationSeconds: WINDOW_SECONDS };
}

export function anonymousIpLimit(): LimiterSpec {
  return { prefix: "ip", points: env.LEADLINE_RATE_LIMIT_IP_PER_MINUTE, durationSeconds: WINDOW_SECONDS };
}

/** Sets RateLimit-Limit/-Remaining/-Reset (IETF draft names), and Retry-After on a 429. */
export function applyRateLimitHeaders(headers: Headers, state: RateLimitState | undefined, limited: boolean): void {
  if (!state) return;
  headers.set("RateLimit-Limit", String(state.limit));
  headers.set("RateLimit-Remaining", String(state.remaining));
  headers.set("RateLimit-Reset", String(state.resetSeconds));
  if (limited) headers.set("Retry-After", String(state.resetSeconds));
}

/** For server actions: counts the call against the user's limit; a message when over it. */
export async function userActionLimitMessage(userId: string): Promise<string | null> {
  try {
    await consume(userLimit(), userId, "user");
    return null;
  } catch (error) {
    if (error instanceof RateLimitedError) return `Too many requests: wait ${error.state.resetSeconds} seconds, then try again.`;
    throw error;
  }
}
