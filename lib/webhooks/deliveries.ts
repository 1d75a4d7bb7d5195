import { Prisma } from "@/lib/generated/prisma/client";
import { prisma, rawSql } from "@/lib/db/client";
import { env } from "@/lib/env";
import { postgresErrorCode } from "@/lib/errors";
import { nudgeDeliveries, scheduleSweep, type DeliverJobData } from "./jobs";
import { DELIVERY_TIMEOUT_MS, LEASE_MS, type AttemptResult } from "./send";
import { sendAttempt } from "./send-thread";

/**
 * Sending the outbox: claim the oldest pending deliveries of a group (lease), POST them signed in
 * order, record the attempts; on failure schedule a retry with backoff and stop the group there
 * (later events of the lead wait: per-lead order). Many groups are claimed, sent and recorded
 * together. The store of WebhookDelivery's send state; the admin side (log, replay) is in ./endpoints.
 */

const NOW = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;
/** Rounds one job sends before handing its groups to a fresh job. */
const PER_JOB = 25;
/** Deliveries of one group claimed together (sent in order by one sender). */
const RUN = 10;
/** No attempt of a run starts later than this after the claim: with the 10 s timeout, the run ends within the lease. */
const FOLLOW_FOR_MS = LEASE_MS - DELIVERY_TIMEOUT_MS - 3_000;
/**
 * Nor does a run's first attempt start later than this: a run claimed at insert waits for its
 * transaction to commit and for the send loop, and one held up that long is given back instead.
 */
const FIRST_ATTEMPT_BY_MS = LEASE_MS - DELIVERY_TIMEOUT_MS - 1_000;

/** When to try again after `attempts` failed attempts, or null when the 24-hour window is over. */
export function nextAttemptAt(attempts: number, createdAt: Date, now: Date, baseMs = env.LEADLINE_WEBHOOK_RETRY_BASE_MS, random = Math.random): Date | null {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  const delay = Math.round(exponential * (0.5 + random() / 2)); // jitter: 50-100 %
  const at = new Date(now.getTime() + delay);
  return at.getTime() - createdAt.getTime() > RETRY_WINDOW_MS ? null : at;
}

/** A delivery this process holds the lease of (claimed here, or at insert by ./outbox), with what sending it needs. */
export interface Claimed {
  id: string;
  endpointId: string;
  orderKey: string;
  eventId: string;
  eventType: string;
  /** The payload as stored: the body that is signed and sent. */
  body: string;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** Deliveries claimed in the transaction that wrote them (./outbox), in order per group, with when. */
export interface PreClaimed {
  delivery: Claimed;
  /** Date.now() before the INSERT that claimed it: the lease started after this. */
  claimedAt: number;
}

const LEASE = Prisma.sql`${NOW} + ${`${LEASE_MS} milliseconds`}::interval`;
const DUE_AND_FREE = (alias: string) =>
  Prisma.sql`${Prisma.raw(alias)}."nextAttemptAt" <= ${NOW} AND (${Prisma.raw(alias)}."lockedUntil" IS NULL OR ${Prisma.raw(alias)}."lockedUntil" < ${NOW})`;
const CLAIMED_COLUMNS = Prisma.sql`d."id", d."endpointId", d."orderKey", d."seq", d."eventId", d."eventType", d."payload"::text AS "body", d."attempts", d."createdAt",
  e."url", e."secret", e."previousSecret", e."previousSecretExpiresAt"`;

/**
 * Claims, in one statement, the run of each group that can be sent now: its oldest pending
 * delivery (the head) when it is due, not leased by another sender, and its endpoint enabled; and
 * with it up to RUN - 1 of the group's next pending deliveries, up to the first that is not due
 * or is leased. Followers are claimed only with their head (the second UPDATE reads the first's
 * RETURNING): two senders racing for a group both aim at the same head, and the loser claims
 * nothing of that group.
 * - The heads are locked first, in id order: two senders claiming overlapping groups wait for
 *   each other instead of deadlocking.
 * - Each UPDATE re-checks `status = 'pending'` and the lease on the row as it is once locked:
 *   a head another sender delivered meanwhile is not claimed (and sent) again.
 */
/**
 * Runs one statement again if PostgreSQL broke a deadlock by rolling it back (it is one
 * statement: nothing of it was written). Claims and records lock rows of many groups at once;
 * they take them in id order, which leaves few ways to deadlock, but not none.
 */
async function retryOnDeadlock<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      if (postgresErrorCode(error) !== "40P01" || attempt >= 3) throw error;
    }
  }
}

const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function claimRuns(groups: readonly DeliverJobData[]): Promise<Claimed[]> {
  return retryOnDeadlock(() => claimRunsOnce(groups));
}

async function claimRunsOnce(groups: readonly DeliverJobData[]): Promise<Claimed[]> {
  if (groups.length === 0) return [];
  // Through pg, not Prisma: this runs for every batch of deliveries, and Prisma's raw-query
  // machinery per row would be most of the sender's CPU.
  return rawSql<Claimed>(claimStatement(groups));
}

/**
 * The claim (see claimRuns). Every lookup of a group's pending deliveries (its head, the run after
 * it) reads the partial index of pending deliveries, WebhookDelivery_pending_idx: a lead's
 * delivered history is not in it, however long. Exported for the test of its plan.
 */
export function claimStatement(groups: readonly DeliverJobData[]): Prisma.Sql {
  return Prisma.sql`
    WITH "candidates" AS (
      SELECT h."id" FROM "WebhookDelivery" h
      WHERE h."id" IN (SELECT (SELECT x."id" FROM "WebhookDelivery" x
            WHERE x."endpointId" = g."endpointId" AND x."orderKey" = g."orderKey" AND x."status" = 'pending'
            ORDER BY x."seq" LIMIT 1)
          FROM unnest(${groups.map((g) => g.endpointId)}::text[], ${groups.map((g) => g.orderKey)}::text[]) AS g("endpointId", "orderKey"))
        -- A head leased by another sender is not even locked (it is not ours to claim).
        AND ${DUE_AND_FREE("h")}
      ORDER BY h."id"
      FOR UPDATE OF h
    ), "heads" AS (
      UPDATE "WebhookDelivery" d SET "lockedUntil" = ${LEASE}, "attempts" = d."attempts" + 1, "lastAttemptAt" = ${NOW}
      FROM "WebhookEndpoint" e, "candidates" c
      WHERE d."id" = c."id" AND d."status" = 'pending' AND e."id" = d."endpointId" AND e."enabled" AND ${DUE_AND_FREE("d")}
      RETURNING ${CLAIMED_COLUMNS}
    ), "followers" AS (
      UPDATE "WebhookDelivery" d SET "lockedUntil" = ${LEASE}, "attempts" = d."attempts" + 1, "lastAttemptAt" = ${NOW}
      FROM "WebhookEndpoint" e,
        (SELECT f."id" FROM "heads" CROSS JOIN LATERAL (
            SELECT x."id", bool_and(${DUE_AND_FREE("x")}) OVER (ORDER BY x."seq") AS "sendable"
            FROM "WebhookDelivery" x
            WHERE x."endpointId" = "heads"."endpointId" AND x."orderKey" = "heads"."orderKey" AND x."status" = 'pending' AND x."seq" > "heads"."seq"
            ORDER BY x."seq" LIMIT ${RUN - 1}) f
          WHERE f."sendable") r
      WHERE d."id" = r."id" AND d."status" = 'pending' AND e."id" = d."endpointId" AND ${DUE_AND_FREE("d")}
      RETURNING ${CLAIMED_COLUMNS}
    )
    SELECT * FROM "heads" UNION ALL SELECT * FROM "followers" ORDER BY "seq"`;
}

/**
 * Gives back claimed deliveries that were not attempted (their group stopped at a failure, or ran
 * out of time). Only while they are still this process's claim: a delivery whose lease ran out and
 * that another sender claimed since (its attempts counted one more) is left to that sender.
 */
export async function release(unsent: readonly Claimed[]): Promise<void> {
  if (unsent.length === 0) return;
  const sorted = byId(unsent);
  await retryOnDeadlock(() => rawSql(Prisma.sql`
    UPDATE "WebhookDelivery" d SET "lockedUntil" = NULL, "attempts" = d."attempts" - 1,
      "lastAttemptAt" = CASE WHEN d."attempts" = 1 THEN NULL ELSE d."lastAttemptAt" END
    FROM unnest(${sorted.map((c) => c.id)}::text[], ${sorted.map((c) => c.attempts)}::int[]) AS r("id", "attempts")
    WHERE d."id" = r."id" AND d."attempts" = r."attempts" AND d."status" = 'pending'`));
}

function attempt(delivery: Claimed): Promise<AttemptResult> {
  const secrets = [delivery.secret];
  if (delivery.previousSecret && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt.getTime() > Date.now()) {
    secrets.push(delivery.previousSecret);
  }
  return sendAttempt({
    url: delivery.url,
    body: delivery.body,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    secrets,
    allowPrivate: env.LEADLINE_WEBHOOKS_ALLOW_PRIVATE,
  });
}

const cleanBody = (body: string | null) => (body === null ? null : body.replace(/\u0000/g, ""));

/** Records successful attempts, in one statement; the endpoints' failure runs (if any) end. */
async function recordDelivered(unordered: readonly { delivery: Claimed; result: AttemptResult }[]): Promise<void> {
  if (unordered.length === 0) return;
  const sent = [...unordered].sort((a, b) => (a.delivery.id < b.delivery.id ? -1 : a.delivery.id > b.delivery.id ? 1 : 0));
  await retryOnDeadlock(() => rawSql(Prisma.sql`
    WITH "done" AS (
      UPDATE "WebhookDelivery" d SET "status" = 'delivered', "lockedUntil" = NULL, "responseStatus" = r."status",
        "responseTimeMs" = r."timeMs", "responseBody" = r."body", "error" = NULL, "deliveredAt" = ${NOW}
      FROM unnest(${sent.map((s) => s.delivery.id)}::text[], ${sent.map((s) => s.result.status)}::int[],
        ${sent.map((s) => s.result.timeMs)}::int[], ${sent.map((s) => cleanBody(s.result.body))}::text[]) AS r("id", "status", "timeMs", "body")
      WHERE d."id" = r."id" RETURNING d."endpointId")
    UPDATE "WebhookEndpoint" SET "failingSince" = NULL
    WHERE "id" IN (SELECT DISTINCT "endpointId" FROM "done") AND "failingSince" IS NOT NULL`));
}

/** Records a failed attempt; returns when to retry (null: given up, the delivery is failed). */
async function recordFailed(delivery: Claimed, result: AttemptResult): Promise<Date | null> {
  const now = new Date();
  const retryAt = nextAttemptAt(delivery.attempts, delivery.createdAt, now);
  await prisma.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        status: retryAt ? "pending" : "failed",
        lockedUntil: null,
        nextAttemptAt: retryAt ?? now,
        responseStatus: result.status,
        responseTimeMs: result.timeMs,
        responseBody: cleanBody(result.body),
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

const groupKey = (group: DeliverJobData) => `${group.endpointId}\u0000${group.orderKey}`;

interface GroupOutcome {
  delivered: { delivery: Claimed; result: AttemptResult }[];
  unsent: Claimed[];
  /** Whether the group may have more to send (it neither failed nor ran out of time). */
  more: boolean;
  /** After a failed attempt: when its retry is due (null: it failed for good). */
  retryAt?: Date | null;
}

/**
 * Sends one group's claimed run in order. Stops at a failure (recorded, retry queued; the rest
 * wait, per-lead order) and starts no attempt after FOLLOW_FOR_MS, so that every attempt of the
 * run ends, and is recorded, within the lease.
 */
async function sendRun(run: readonly Claimed[], claimedAt: number): Promise<GroupOutcome> {
  const outcome: GroupOutcome = { delivered: [], unsent: [], more: true };
  for (const [i, delivery] of run.entries()) {
    if (Date.now() - claimedAt > (i === 0 ? FIRST_ATTEMPT_BY_MS : FOLLOW_FOR_MS)) {
      outcome.unsent = run.slice(i);
      return outcome;
    }
    const result = await attempt(delivery);
    if (result.ok) {
      outcome.delivered.push({ delivery, result });
      continue;
    }
    const retryAt = await recordFailed(delivery, result);
    return { delivered: outcome.delivered, unsent: run.slice(i + 1), more: false, retryAt };
  }
  return outcome;
}

/**
 * Sends the pending deliveries of a batch of groups, in rounds. Each round claims every active
 * group's run (one statement), sends the groups concurrently (each in order), then records the
 * successes (one statement) and gives back what was not attempted. A group leaves the batch when
 * it has nothing due, when an attempt fails (a retry is queued), or after `rounds` rounds (handed
 * off, to a fresh job by default, so one busy lead cannot hold a worker). A group that sent its
 * whole run is claimed again, as other instances' later events of the lead may wait behind it.
 * `preclaimed`: runs this process claimed in the transactions that wrote them (./outbox), sent in
 * the first round without a claim.
 */
export async function runDeliverJobs(
  groups: readonly DeliverJobData[],
  handOff: (groups: DeliverJobData[]) => unknown = (rest) => nudgeDeliveries(rest),
  rounds = PER_JOB,
  preclaimed: readonly PreClaimed[] = [],
): Promise<void> {
  const unique = new Map(groups.map((group) => [groupKey(group), { endpointId: group.endpointId, orderKey: group.orderKey }]));
  for (const { delivery } of preclaimed) unique.set(groupKey(delivery), { endpointId: delivery.endpointId, orderKey: delivery.orderKey });
  let active = [...unique.values()];
  for (let round = 0; round < rounds && active.length > 0; round++) {
    // Before the claim: if this process dies once it holds leases, a sweep after them re-queues
    // the groups (a sweep repeats itself while anything is pending).
    await ensureSweep();
    const claimedAt = Date.now();
    // The first round sends the runs claimed at insert as they are; their groups are not claimed
    // again in it (their heads are this process's).
    const given = round === 0 ? preclaimed : [];
    const givenGroups = new Set(given.map(({ delivery }) => groupKey(delivery)));
    const claimed = await claimRuns(givenGroups.size === 0 ? active : active.filter((group) => !givenGroups.has(groupKey(group))));
    if (claimed.length === 0 && given.length === 0) return;
    const runs = new Map<string, { run: Claimed[]; claimedAt: number }>();
    for (const { delivery, claimedAt: at } of [...given, ...claimed.map((delivery) => ({ delivery, claimedAt }))]) {
      const key = groupKey(delivery);
      const entry = runs.get(key);
      if (entry) entry.run.push(delivery);
      else runs.set(key, { run: [delivery], claimedAt: at });
    }
    const groupRuns = [...runs.values()];
    const outcomes = await Promise.all(groupRuns.map(({ run, claimedAt: at }) => sendRun(run, at)));
    await recordDelivered(outcomes.flatMap((o) => o.delivered));
    await release(outcomes.flatMap((o) => o.unsent));
    // Retries are queued once the deliveries before them are recorded: a retry that ran earlier
    // would find its group's head still leased by this round, and end without sending.
    for (const [i, outcome] of outcomes.entries()) {
      const head = groupRuns[i]?.run[0];
      if (outcome.retryAt && head) await nudgeDeliveries([{ endpointId: head.endpointId, orderKey: head.orderKey }], outcome.retryAt);
    }
    const continuing = new Set([...runs.keys()].filter((_, i) => outcomes[i]?.more));
    active = active.filter((group) => continuing.has(groupKey(group)));
  }
  if (active.length > 0) await handOff(active);
}

/**
 * How long a due head may wait before a sweep assumes its wake-up was lost (the instance that
 * committed it died before sending) and queues a job for it. Normally a head waits 0.1 s.
 */
const LOST_JOB_AFTER = "30 seconds";

/**
 * Re-queues the groups whose oldest pending delivery is due but not being sent: its sender died
 * (the lease expired), or it has waited far longer than a wake-up takes (it was lost). Heads that are
 * merely queued are left to their jobs, so a backlog is not queued twice. With `endpointId` (the
 * endpoint was just enabled), every due head of that endpoint is queued. Comes back while anything
 * is pending.
 */
export async function sweepDeliveries(endpointId?: string): Promise<void> {
  const heads = await prisma.$queryRaw<(DeliverJobData & { due: boolean })[]>`
    SELECT DISTINCT ON (d."endpointId", d."orderKey") d."endpointId", d."orderKey",
      (d."nextAttemptAt" <= ${NOW} AND (d."lockedUntil" IS NULL OR d."lockedUntil" < ${NOW})
        AND (${endpointId ?? null}::text IS NOT NULL OR d."lockedUntil" IS NOT NULL
          OR d."nextAttemptAt" < ${NOW} - ${LOST_JOB_AFTER}::interval)) AS "due"
    FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId" AND e."enabled"
    WHERE d."status" = 'pending' AND (${endpointId ?? null}::text IS NULL OR d."endpointId" = ${endpointId ?? null})
    ORDER BY d."endpointId", d."orderKey", d."seq"
    LIMIT 1000`;
  const due = heads.filter((h) => h.due);
  await nudgeDeliveries(due.map(({ endpointId: id, orderKey }) => ({ endpointId: id, orderKey })));
  if (heads.length > 0) await scheduleSweep(15);
}
