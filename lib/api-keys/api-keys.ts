import "server-only";
import { createHash, randomInt } from "node:crypto";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma, rawQuery } from "@/lib/db/client";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { parseWith } from "@/lib/validation";
import { enabledEndpointExists } from "@/lib/webhooks/endpoint-sql";

export const API_KEY_PREFIX = "ll_";
const KEY_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const KEY_RANDOM_LENGTH = 40;
const SUFFIX_LENGTH = 4;
/** lastUsedAt is written at most this often per key, so busy keys do not turn every request into a write. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export function generateApiKey(): string {
  let random = "";
  for (let i = 0; i < KEY_RANDOM_LENGTH; i++) random += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return `${API_KEY_PREFIX}${random}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export interface AuthenticatedApiKey {
  id: string;
  name: string;
  organization: OrganizationSettings;
  /** The organization's limit per key (lib/security/rate-limit.ts). */
  rateLimitPerMinute: number;
}

/** The row of the API-key lookup (also used by the bench baseline, which runs the same SQL). */
export interface ApiKeyRow {
  id: string;
  name: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  organizationId: string;
  allowBulkUpdates: boolean;
  defaultPhoneCountry: string;
  currency: string;
}

/**
 * Records the key's use at most once a minute. The throttle is in the SQL, not in process memory,
 * so several app instances share it: only the first request after the interval writes the row.
 */
function touchLastUsed(apiKeyId: string, lastUsedAt: Date | null): void {
  if (lastUsedAt !== null && Date.now() - lastUsedAt.getTime() < LAST_USED_WRITE_INTERVAL_MS) return;
  // Best effort and off the request's path: a failed write must not fail the request.
  prisma.$executeRaw`
    UPDATE "ApiKey" SET "lastUsedAt" = now()
    WHERE "id" = ${apiKeyId}
      AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - make_interval(secs => ${LAST_USED_WRITE_INTERVAL_MS / 1000}))`
    .catch((error: unknown) => logger.warn({ apiKeyId, err: error }, "Could not record API key use"));
}

/**
 * The active key with this plaintext, looked up by its SHA-256 (so comparison leaks no timing),
 * with its organization's settings. Revoked keys are refused on their very next request: nothing
 * is cached.
 */
export async function authenticateApiKey(key: string): Promise<AuthenticatedApiKey | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  // One query with a join, on the pool without Prisma's per-call machinery: this runs before
  // every API request (docs/performance.md). rawQuery reads the timestamp(3) columns as UTC.
  // With it, whether the organization has an enabled webhook endpoint: a lead change then skips
  // the outbox's own check (lib/webhooks/outbox.ts), one round trip less per PATCH.
  const rows = await rawQuery<ApiKeyRow & { apiRateLimitPerMinute: number; hasWebhookEndpoints: boolean }>(
    `SELECT k."id", k."name", k."revokedAt", k."lastUsedAt",
       o."id" AS "organizationId", o."allowBulkUpdates", o."defaultPhoneCountry", o."currency", o."apiRateLimitPerMinute",
       ${enabledEndpointExists(`o."id"`)} AS "hasWebhookEndpoints"
     FROM "ApiKey" k JOIN "Organization" o ON o."id" = k."organizationId"
     WHERE k."hashedKey" = $1`,
    [hashApiKey(key)],
  );
  const found = rows[0];
  if (!found || found.revokedAt !== null) return null;
  touchLastUsed(found.id, found.lastUsedAt);
  return {
    id: found.id,
    name: found.name,
    organization: {
      id: found.organizationId,
      allowBulkUpdates: found.allowBulkUpdates,
      defaultPhoneCountry: found.defaultPhoneCountry,
      currency: found.currency,
      hasWebhookEndpoints: found.hasWebhookEndpoints,
    },
    rateLimitPerMinute: found.apiRateLimitPerMinute,
  };
}

export interface ApiKeyDto {
  id: string;
  name: string;
  suffix: string;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const apiKeyDtoSelect = {
  id: true,
  name: true,
  suffix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, name: true } },
} as const;

function toDto(key: {
  id: string;
  name: string;
  suffix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; name: string } | null;
}): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    suffix: key.suffix,
    createdAt: key.createdAt.toISOString(),
    createdBy: key.createdBy,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiKeys(organizationId: string): Promise<ApiKeyDto[]> {
  const keys = await prisma.apiKey.findMany({
    where: { organizationId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: apiKeyDtoSelect,
  });
  return keys.map(toDto);
}

/**
 * Creates a key and returns its plaintext: the only time it exists outside the caller's hands.
 * Names are unique among a organization's active keys, so a key can be revoked by name.
 */
export const createApiKeySchema = z.object({
  name: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(100, { error: "must be at most 100 characters" }),
});

export async function createApiKey(input: {
  organizationId: string;
  name: string;
  createdById: string | null;
}): Promise<{ apiKey: ApiKeyDto; plaintext: string }> {
  const { name } = parseWith(createApiKeySchema, { name: input.name });
  const clash = await prisma.apiKey.findFirst({ where: { organizationId: input.organizationId, name, revokedAt: null } });
  if (clash) throw new AppError("CONFLICT", `An active API key named "${name}" already exists`);
  const plaintext = generateApiKey();
  const apiKey = await prisma.apiKey.create({
    data: {
      id: newId("key"),
      organizationId: input.organizationId,
      name,
      hashedKey: hashApiKey(plaintext),
      suffix: plaintext.slice(-SUFFIX_LENGTH),
      createdById: input.createdById,
    },
    select: apiKeyDtoSelect,
  });
  return { apiKey: toDto(apiKey), plaintext };
}

/** Revokes an active key of the organization, by id or by name. Another organization's key is "not found". */
export async function revokeApiKey(organizationId: string, key: { id: string } | { name: string }): Promise<ApiKeyDto> {
  const where = "id" in key ? { organizationId, id: key.id } : { organizationId, name: key.name.trim(), revokedAt: null };
  const found = await prisma.apiKey.findFirst({ where, select: { id: true, revokedAt: true } });
  if (!found) throw new AppError("NOT_FOUND", "API key not found");
  if (found.revokedAt !== null) throw new AppError("CONFLICT", "This API key is already revoked");
  const revoked = await prisma.apiKey.update({
    where: { id: found.id },
    data: { revokedAt: new Date() },
    select: apiKeyDtoSelect,
  });
  return toDto(revoked);
}
