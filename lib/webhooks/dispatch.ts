import "server-only";
import { logger } from "@/lib/log";
import type { PreClaimed } from "./deliveries";
import { nudgeDeliveries, scheduleSweep, type DeliverJobData } from "./jobs";

/**
 * Sending a change's deliveries as soon as it commits, from the instance that made it.
 *
 * The outbox rows are the queue: they are written in the change's transaction and claimed with a
 * lease in PostgreSQL (lib/webhooks/deliveries.ts), so whichever instance sends a delivery, only
 * one does. What starts the sending is only a wake-up, and it costs nothing per change:
 * - in an instance that runs the job workers (the app server), the change's transaction already
 *   claimed its deliveries (a lease, set by the INSERT: ./outbox) unless an earlier delivery of
 *   the same lead is still pending; once it commits, the claimed deliveries and the groups of the
 *   others go into this process's waiting lists, and one loop sends them in batches of up to 100
 *   groups of one endpoint, gathered for at most 0.1 s (the claimed ones without a claim
 *   statement); a few endpoints' batches at once, one per endpoint, so a slow receiver holds up
 *   only its own endpoint's deliveries;
 * - anywhere else (scripts, tests), or past 10,000 waiting groups, they become pg-boss jobs,
 *   which any instance's workers run;
 * - if the instance dies between the commit and the send, a sweep (pg-boss: every minute by cron,
 *   and every 15 s while deliveries are pending) queues every head that has waited over 30 s.
 * Retries, replays and sweeps go through pg-boss, which keeps their timing across restarts.
 * The state lives on globalThis: Next.js bundles this module once per server layer.
 */

const BATCH = 100;
const MAX_WAITING = 10_000;
/**
 * Deliveries held claimed in memory at most (about a second of sending under load); past it, a
 * backlog is building, and changes leave theirs to the claim statement rather than hold leases
 * they may not use in time.
 */
const MAX_CLAIMED = 1_000;
/**
 * How long the loop lets groups gather before it sends a batch that is not full. Claiming and
 * recording cost a statement each per batch, not per change: under load a batch carries many
 * changes' deliveries for the same two statements, at the price of up to this much latency.
 */
const GATHER_MS = 100;
/** Batches in flight at once, at most one per endpoint. */
const MAX_BATCHES = 4;

interface DispatchState {
  /** Set by startJobWorkers: this process sends its own changes' deliveries. */
  local: boolean;
  waiting: Map<string, DeliverJobData>;
  /** Deliveries claimed by the INSERT of a committed change, in order, waiting to be sent. */
  claimed: PreClaimed[];
  /** The running send loop, if any. */
  draining: Promise<void> | null;
  /** Wakes the send loop while it waits for work or for a batch to end. */
  wake: (() => void) | null;
}

const globalForDispatch = globalThis as unknown as { leadlineWebhookDispatch?: DispatchState };
const state = (globalForDispatch.leadlineWebhookDispatch ??= { local: false, waiting: new Map(), claimed: [], draining: null, wake: null });

const keyOf = (group: DeliverJobData) => `${group.endpointId}\u0000${group.orderKey}`;

function queueAsJobs(groups: readonly DeliverJobData[]): void {
  if (groups.length === 0) return;
  nudgeDeliveries(groups).catch((error: unknown) =>
    logger.error({ err: error, groups: groups.length }, "Could not queue webhook deliveries; the sweep will send them"),
  );
}

/**
 * This process sends the deliveries of the changes it commits (called where the job workers
 * start). A sweep runs at once: what this instance left behind when it last stopped (wake-ups
 * lost, leases held) is queued as soon as it is due, not at the next minute's sweep.
 */
export function enableLocalDispatch(): void {
  state.local = true;
  scheduleSweep(0, { throttled: false }).catch((error: unknown) => logger.warn({ err: error }, "Could not schedule the start-up webhook sweep; the minute sweep will run"));
}

/**
 * Whether a change's INSERT should claim its deliveries for this process: only where this process
 * sends them itself, and while it does not hold too many already.
 */
export function claimsAtInsert(): boolean {
  return state.local && state.claimed.length < MAX_CLAIMED;
}

/** Gives claimed deliveries back (their leases) and queues their groups as jobs. */
function giveBack(claimed: readonly PreClaimed[]): Promise<void> {
  if (claimed.length === 0) return Promise.resolve();
  const groups = claimed.map(({ delivery }) => ({ endpointId: delivery.endpointId, orderKey: delivery.orderKey }));
  return import("./deliveries")
    .then(({ release }) => release(claimed.map(({ delivery }) => delivery)))
    .catch((error: unknown) => logger.warn({ err: error }, "Could not give back claimed webhook deliveries; their leases expire"))
    .then(() => nudgeDeliveries(groups))
    .catch((error: unknown) => logger.error({ err: error, groups: groups.length }, "Could not queue webhook deliveries; the sweep will send them"));
}

/**
 * Wakes the sending of these (endpoint, lead) groups, and sends the deliveries this process
 * claimed at insert; called after the change that wrote them committed.
 */
export function dispatchDeliveries(groups: readonly DeliverJobData[], claimed: readonly PreClaimed[] = []): void {
  if (!state.local) {
    // Stopped between the change's INSERT and its commit.
    void giveBack(claimed);
    return queueAsJobs(groups);
  }
  state.claimed.push(...claimed);
  const overflow: DeliverJobData[] = [];
  for (const group of groups) {
    const key = keyOf(group);
    if (state.waiting.has(key)) continue;
    if (state.waiting.size >= MAX_WAITING) overflow.push(group);
    else state.waiting.set(key, { endpointId: group.endpointId, orderKey: group.orderKey });
  }
  queueAsJobs(overflow);
  state.draining ??= drain().finally(() => (state.draining = null));
  state.wake?.();
}

/** The first endpoint, oldest work first, that has work waiting and no batch in flight. */
function nextEndpoint(busy: { has: (endpointId: string) => boolean }): string | null {
  for (const { delivery } of state.claimed) if (!busy.has(delivery.endpointId)) return delivery.endpointId;
  for (const group of state.waiting.values()) if (!busy.has(group.endpointId)) return group.endpointId;
  return null;
}

/** Up to BATCH waiting groups of one endpoint, and its claimed runs of up to BATCH groups. */
function takeBatch(endpointId: string): { groups: DeliverJobData[]; claimed: PreClaimed[] } {
  const groups: DeliverJobData[] = [];
  for (const [key, group] of state.waiting) {
    if (group.endpointId !== endpointId) continue;
    state.waiting.delete(key);
    groups.push(group);
    if (groups.length >= BATCH) break;
  }
  return { groups, claimed: takeClaimedRuns(endpointId, BATCH) };
}

/**
 * The claimed deliveries of one endpoint, of up to `limit` groups, oldest first, each group's whole
 * run (a group's runs from several changes stay in order: a change only claims when nothing of its
 * lead is pending).
 */
function takeClaimedRuns(endpointId: string, limit: number): PreClaimed[] {
  const taken: PreClaimed[] = [];
  const kept: PreClaimed[] = [];
  const keys = new Set<string>();
  for (const item of state.claimed) {
    const key = keyOf(item.delivery);
    if (item.delivery.endpointId === endpointId && (keys.has(key) || keys.size < limit)) {
      keys.add(key);
      taken.push(item);
    } else {
      kept.push(item);
    }
  }
  state.claimed = kept;
  return taken;
}

/**
 * Sends what waits, in batches of one endpoint each: at most one batch per endpoint in flight and
 * MAX_BATCHES in all. A batch ends when its slowest request has (the 10 s timeout at worst), so
 * one slow receiver holds up its own endpoint, not the others.
 */
async function drain(): Promise<void> {
  // Lazily: ./deliveries imports the jobs module, which the job list imports.
  const { runDeliverJobs } = await import("./deliveries");
  const inFlight = new Map<string, Promise<void>>();
  let gatheredAt = 0;
  while (state.waiting.size > 0 || state.claimed.length > 0 || inFlight.size > 0) {
    const endpointId = inFlight.size < MAX_BATCHES ? nextEndpoint(inFlight) : null;
    if (endpointId === null) {
      // Nothing to start now: wait for a batch to end, or for new work.
      await new Promise<void>((resolve) => {
        state.wake = resolve;
        for (const batch of inFlight.values()) void batch.then(resolve);
      });
      state.wake = null;
      continue;
    }
    if (state.waiting.size + state.claimed.length < BATCH && Date.now() - gatheredAt > GATHER_MS) {
      // Let a batch that is not full gather for a moment; the batches started right after share it.
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      gatheredAt = Date.now();
      continue;
    }
    const { groups, claimed } = takeBatch(endpointId);
    // One round per batch: a group that sent its whole run goes back to the end of the list, so
    // under load its next claim shares the statement of the next batch's new groups.
    const batch = runDeliverJobs(groups, (more) => dispatchDeliveries(more), 1, claimed)
      .catch((error: unknown) => {
        logger.error({ err: error, groups: groups.length + claimed.length }, "Sending webhook deliveries failed; queued as jobs");
        queueAsJobs([...groups, ...claimed.map(({ delivery }) => ({ endpointId: delivery.endpointId, orderKey: delivery.orderKey }))]);
      })
      .finally(() => inFlight.delete(endpointId));
    inFlight.set(endpointId, batch);
  }
}

/**
 * On shutdown: stop taking groups (the waiting ones and later ones become jobs, the claimed
 * deliveries are given back first) and wait for the batch being sent.
 */
export async function stopLocalDispatch(): Promise<void> {
  state.local = false;
  const rest = [...state.waiting.values()];
  state.waiting.clear();
  const claimed = state.claimed.splice(0);
  await Promise.all([
    rest.length > 0 ? nudgeDeliveries(rest).catch((error: unknown) => logger.error({ err: error }, "Could not queue the waiting webhook deliveries; the sweep will send them")) : null,
    giveBack(claimed),
    state.draining,
  ]);
}
