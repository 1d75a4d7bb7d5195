import "server-only";
import { prisma } from "@/lib/db/client";

/**
 * The one store of Idempotency-Key records (table "IdempotencyKey"). Raw SQL on purpose: the claim
 * must be one short statement of its own, committed before the request runs, so that concurrent
 * duplicates on any instance see it at once. Times are the database's, shared by every instance.
 */

/** How long a key and its reply are kept. Older rows are ignored, taken over and deleted. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** A claim still running after this long is taken to be abandoned (its instance died) and may be taken over. */
export const IDEMPOTENCY_STALE_CLAIM_MINUTES = 10;

export interface IdempotencyRecord {
  requestHash: string;
  status: number | null;
  responseBody: string | null;
  requestId: string | null;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord | null };

/**
 * Claims `key` for this request: inserts the in-progress row, or takes over an expired or abandoned
 * one. Otherwise returns the row that holds the key (null in the rare case it vanished meanwhile).
 */
export async function claimIdempotencyKey(args: {
  organizationId: string;
  key: string;
  requestHash: string;
  claimToken: string;
}): Promise<ClaimResult> {
  const { organizationId, key, requestHash, claimToken } = args;
  const claimed = await prisma.$queryRaw<{ key: string }[]>`
    INSERT INTO "IdempotencyKey" ("organizationId", "key", "requestHash", "claimToken", "createdAt")
    VALUES (${organizationId}, ${key}, ${requestHash}, ${claimToken}, now())
    ON CONFLICT ("organizationId", "key") DO UPDATE
      SET "requestHash" = EXCLUDED."requestHash", "claimToken" = EXCLUDED."claimToken", "status" = NULL,
          "responseBody" = NULL, "requestId" = NULL, "createdAt" = now(), "completedAt" = NULL
      WHERE "IdempotencyKey"."createdAt" < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
         OR ("IdempotencyKey"."status" IS NULL
             AND "IdempotencyKey"."createdAt" < now() - make_interval(mins => ${IDEMPOTENCY_STALE_CLAIM_MINUTES}))
    RETURNING "key"`;
  if (claimed.length > 0) return { claimed: true };
  const rows = await prisma.$queryRaw<IdempotencyRecord[]>`
    SELECT "requestHash", "status", "responseBody", "requestId" FROM "IdempotencyKey"
    WHERE "organizationId" = ${organizationId} AND "key" = ${key}`;
  return { claimed: false, existing: rows[0] ?? null };
}

/** Stores the reply of a claimed key. */
export async function completeIdempotencyKey(args: {
  organizationId: string;
  key: string;
  claimToken: string;
  status: number;
  responseBody: string;
  requestId: string;
}): Promise<void> {
  const { organizationId, key, claimToken, status, responseBody, requestId } = args;
  await prisma.$executeRaw`
    UPDATE "IdempotencyKey"
    SET "status" = ${status}, "responseBody" = ${responseBody}, "requestId" = ${requestId}, "completedAt" = now()
    WHERE "organizationId" = ${organizationId} AND "key" = ${key} AND "claimToken" = ${claimToken}`;
}

/** Gives a claimed key back (the request failed on our side), so that a retry can run. */
export async function releaseIdempotencyKey(args: { organizationId: string; key: string; claimToken: string }): Promise<void> {
  await prisma.$executeRaw`
    DELETE FROM "IdempotencyKey"
    WHERE "organizationId" = ${args.organizationId} AND "key" = ${args.key} AND "claimToken" = ${args.claimToken}`;
}

/** Deletes the records older than the retention period; returns how many. */
export async function deleteExpiredIdempotencyKeys(): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM "IdempotencyKey" WHERE "createdAt" < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;
}
