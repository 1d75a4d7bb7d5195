import { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { nudgeDeliveries, scheduleSweep, type DeliverJobData } from "./jobs";
import { DELIVERY_TIMEOUT_MS, postWebhook, type AttemptResult } from "./send";
import { signatureHeader } from "./signing";

/**
 * Sending the outbox: claim the oldest pending delivery of a group (lease), POST it signed, record
 * the attempt, then the next one; on failure schedule a retry with backoff and stop the group
 * there (later events of the lead wait: per-lead order). The store of WebhookDelivery's send
 * state; the admin side (log, replay) is in ./endpoints.
 */

const NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;
/** Longer than one attempt can take, so a live sender never loses its lease. */
const LEASE_MS = DELIVERY_TIMEOUT_MS + 5_000;
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;
/** Deliveries one job sends before handing the group to a fresh job. */
const PER_JOB = 25;

/** When to try again after `attempts` failed attempts, or null when the 24-hour window is over. */
export function nextAttemptAt(attempts: number, createdAt: Date, now: Date, baseMs = env.LEADLINE_WEBHOOK_RETRY_BASE_MS, random = Math.random): Date | null {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  const delay = Math.round(exponential * (0.5 + random() / 2)); // jitter: 50-100 %
  const at = new Date(now.getTime() + delay);
  return at.getTime() - createdAt.getTime() > RETRY_WINDOW_MS ? null : at;
}

interface Claimed {
  id: string;
  endpointId: string;
  orderKey: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

async function claimHead(group: DeliverJobData): Promise<Claimed | null> {
  const rows = await prisma.$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" d SET "lockedUntil" = ${NOW} + ${`${LEASE_MS} milliseconds`}::interval,
      "attempts" = d."attempts" + 1, "lastAttemptAt" = ${NOW}
    FROM "WebhookEndpoint" e
    WHERE d."id" = (SELECT h."id" FROM "WebhookDelivery" h
        WHERE h."endpointId" = ${group.endpointId} AND h."orderKey" = ${group.orderKey} AND h."status" = 'pending'
        ORDER BY h."seq" LIMIT 1)
      AND e."id" = d."endpointId" AND e."enabled"
      AND d."nextAttemptAt" <= ${NOW} AND (d."lockedUntil" IS NULL OR d."lockedUntil" < ${NOW})
    RETURNING d."id", d."endpointId", d."orderKey", d."eventId", d."eventType", d."payload", d."attempts", d."createdAt",
      e."url", e."secret", e."previousSecret", e."previousSecretExpiresAt"`;
  return rows[0] ?? null;
}

const LEAD_KEYS = ["id", "name", "email", "phone", "company", "source", "status", "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version"];

function ordered(object: unknown, keys: string[]): unknown {
  if (typeof object !== "object" || object === null) return object;
  const source = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out;
}

/** The body as sent: the payload with its documented key order (jsonb does not keep it). */
export function deliveryBody(payload: Record<string, unknown>): string {
  const data = (payload.data ?? {}) as Record<string, unknown>;
  const orderedData = ordered({ ...data, lead: ordered(data.lead, LEAD_KEYS), actor: ordered(data.actor, ["type", "id", "name"]) }, ["lead", "changes", "actor", "requestId"]);
  return JSON.stringify(ordered({ ...payload, data: orderedData }, ["id", "type", "createdAt", "data"]));
}

async function attempt(delivery: Claimed): Promise<AttemptResult> {
  const body = deliveryBody(delivery.payload);
  const secrets = [delivery.secret];
  if (delivery.previousSecret && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt.getTime() > Date.now()) {
    secrets.push(delivery.previousSecret);
  }
  return postWebhook(
    delivery.url,
    body,
    { "Leadline-Signature": signatureHeader(secrets, body), "Leadline-Event-Id": delivery.eventId, "Leadline-Event-Type": delivery.eventType },
    { allowPrivate: env.LEADLINE_WEBHOOKS_ALLOW_PRIVATE },
  );
}

/** Records an attempt; returns when to retry (null: delivered or given up). */
async function record(delivery: Claimed, result: AttemptResult): Promise<Date | null> {
  const now = new Date();
  const retryAt = result.ok ? null : nextAttemptAt(delivery.attempts, delivery.createdAt, now);
  const status = result.ok ? "delivered" : retryAt ? "pending" : "failed";
  const body = result.body === null ? null : result.body.replace(/\u0000/g, "");
  if (result.ok) {
    // The hot case in one statement: delivered, and the endpoint's failure run (if any) ends.
    await prisma.$executeRaw`
      WITH "done" AS (
        UPDATE "WebhookDelivery" SET "status" = 'delivered', "lockedUntil" = NULL, "responseStatus" = ${result.status},
          "responseTimeMs" = ${result.timeMs}, "responseBody" = ${body}, "error" = NULL, "deliveredAt" = ${NOW}
        WHERE "id" = ${delivery.id} RETURNING "endpointId")
      UPDATE "WebhookEndpoint" SET "failingSince" = NULL WHERE "id" = (SELECT "endpointId" FROM "done") AND "failingSince" IS NOT NULL`;
    return null;
  }
  await prisma.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        status,
        lockedUntil: null,
        nextAttemptAt: retryAt ?? now,
        responseStatus: result.status,
        responseTimeMs: result.timeMs,
        responseBody: body,
        error: result.error,
        deliveredAt: null,
      },
    });
    await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpointId, failingSince: null }, data: { failingSince: now } });
    const since = new Date(now.getTime() - DISABLE_AFTER_MS);
    await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpointId, enabled: true, failingSince: { lte: since } },
      data: {
        enabled: false,
        disabledAt: now,
        disabledReason: `Disabled automatically: every delivery has failed for 3 days in a row (last: ${result.error ?? "no answer"}). Fix the receiver, then enable it again.`,
      },
    });
  });
  return retryAt;
}

let sweepScheduledAt = 0;

/**
 * A sweep after the lease of a claim made now. The sweep repeats itself while anything is pending,
 * so one schedule per process every few seconds covers every claim made in between.
 */
async function ensureSweep(): Promise<void> {
  if (Date.now() - sweepScheduledAt < 5_000) return;
  sweepScheduledAt = Date.now();
  await scheduleSweep(Math.ceil(LEASE_MS / 1000) + 1);
}

/** Sends the pending deliveries of each group in order, until one fails (retry scheduled) or PER_JOB are sent. */
export async function runDeliverJobs(groups: DeliverJobData[]): Promise<void> {
  await Promise.all(groups.map((group) => runGroup(group)));
}

async function runGroup(group: DeliverJobData): Promise<void> {
  for (let sent = 0; sent < PER_JOB; sent++) {
    const delivery = await claimHead(group);
    if (!delivery) return;
    // If this process dies while sending, a sweep after the lease re-queues the group.
    await ensureSweep();
    const retryAt = await record(delivery, await attempt(delivery));
    if (retryAt) {
      await nudgeDeliveries([group], retryAt);
      return;
    }
  }
  await nudgeDeliveries([group]);
}

/**
 * Re-queues every group whose oldest pending delivery is due and not being sent (its sender died,
 * or its job was lost), and comes back while anything is pending.
 */
export async function sweepDeliveries(): Promise<void> {
  const heads = await prisma.$queryRaw<DeliverJobData[]>`
    SELECT DISTINCT ON (d."endpointId", d."orderKey") d."endpointId", d."orderKey",
      (d."nextAttemptAt" <= ${NOW} AND (d."lockedUntil" IS NULL OR d."lockedUntil" < ${NOW})) AS "due"
    FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId" AND e."enabled"
    WHERE d."status" = 'pending'
    ORDER BY d."endpointId", d."orderKey", d."seq"
    LIMIT 1000`;
  const due = (heads as (DeliverJobData & { due: boolean })[]).filter((h) => h.due);
  await nudgeDeliveries(due.map(({ endpointId, orderKey }) => ({ endpointId, orderKey })));
  if (heads.length > 0) await scheduleSweep(15);
}
