import "server-only";
import { createHash } from "node:crypto";
import { isRateLimiterRes, limiterFor, type LimiterSpec } from "./rate-limit";

/**
 * Limits on failed sign-ins, counted in PostgreSQL (shared by every instance):
 *   - per account (the e-mail typed, whether or not such a user exists, so the answer never tells):
 *     ACCOUNT_FAILURES failures in 15 minutes, then a wait of 15 minutes that doubles with each
 *     further lock-out within a day (15 min, 30 min, 1 h, … at most 24 h);
 *   - per client IP, a wider allowance: IP_FAILURES failures in 15 minutes, then 15 minutes' wait.
 * A good sign-in clears the account's failures. A limited attempt is refused before any password
 * hashing, with 429.
 */

export const ACCOUNT_FAILURES = 5;
export const IP_FAILURES = 50;
const WINDOW_SECONDS = 15 * 60;
const MAX_LOCK_SECONDS = 24 * 60 * 60;

const ACCOUNT: LimiterSpec = { prefix: "signin-account", points: ACCOUNT_FAILURES, durationSeconds: WINDOW_SECONDS };
const ACCOUNT_LOCKOUTS: LimiterSpec = { prefix: "signin-lockouts", points: 1_000_000, durationSeconds: MAX_LOCK_SECONDS };
const IP: LimiterSpec = { prefix: "signin-ip", points: IP_FAILURES, durationSeconds: WINDOW_SECONDS };

/** E-mails are keyed by their hash: the counter table holds no addresses, and any length fits. */
function accountKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}

/** Seconds to wait before this account or IP may try again, or 0 when it may try now. */
export async function signInRetryAfter(email: string, ip: string): Promise<number> {
  const [account, byIp] = await Promise.all([limiterFor(ACCOUNT).get(accountKey(email)), limiterFor(IP).get(ip)]);
  const waits = [
    account && account.consumedPoints >= ACCOUNT.points ? account.msBeforeNext : 0,
    byIp && byIp.consumedPoints >= IP.points ? byIp.msBeforeNext : 0,
  ];
  return Math.ceil(Math.max(...waits) / 1000);
}

/** Counts one failure; the failures counted in the window so far. */
async function countFailure(spec: LimiterSpec, key: string): Promise<number> {
  try {
    return (await limiterFor(spec).consume(key)).consumedPoints;
  } catch (error) {
    if (isRateLimiterRes(error)) return error.consumedPoints;
    throw error;
  }
}

export async function recordSignInFailure(email: string, ip: string): Promise<void> {
  const key = accountKey(email);
  const [accountFailures] = await Promise.all([countFailure(ACCOUNT, key), countFailure(IP, ip)]);
  if (accountFailures === ACCOUNT.points) {
    // This failure locked the account: 15 minutes, doubled for every earlier lock-out today.
    const lockouts = await limiterFor(ACCOUNT_LOCKOUTS).consume(key);
    const seconds = Math.min(MAX_LOCK_SECONDS, WINDOW_SECONDS * 2 ** Math.min(10, lockouts.consumedPoints - 1));
    await limiterFor(ACCOUNT).block(key, seconds);
  }
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await limiterFor(ACCOUNT).delete(accountKey(email));
}
