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
 *   groups, gathered for at most 0.1 s (the claimed ones without a claim statement);
 * - anywhere else (scripts, tests), or past 10,000 waiting groups, they become pg-boss jobs,
 *   which any instance's workers run;
 * - if the instance dies between the commit and the send, a sweep (pg-boss: every minute by cron,
 *   and every 15 s while deliveries are pending) queues every head that has waited over 30 s.
 * Retries, replays and sweeps go through pg-boss, which keeps their timing across restarts.
 * The state lives on globalThis: Next.js bundles this module once per server layer.
 */

const BATCH = 100;
const MAX_WAITING = 10_000;
/** Deliveries held claimed in memory at most; past it, changes leave theirs to the claim statement. */
const MAX_CLAIMED = 10_000;
/**
 * How long the loop lets groups gather before it sends a batch that is not full. Claiming and
 * recording cost a statement each per batch, not per change: under load a batch carries many
 * changes' deliveries for the same two statements, at the price of up to this much latency.
 */
const GATHER_MS = 100;

interface DispatchState {
  /** Set by startJobWorkers: this process sends its own changes' deliveries. */
  local: boolean;
  waiting: Map<string, DeliverJobData>;
  /** Deliveries claimed by the INSERT of a committed change, in order, waiting to be sent. */
  claimed: PreClaimed[];
  /** The running send loop, if any. */
  draining: Promise<void> | null;
}

const globalForDispatch = globalThis as unknown as { leadlineWebhookDispatch?: DispatchState };
const state = (globalForDispatch.leadlineWebhookDispatch ??= { local: false, waiting: new Map(), claimed: [], draining: null });

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
}

async function drain(): Promise<void> {
  // Lazily: ./deliveries imports the jobs module, which the job list imports.
  const { runDeliverJobs } = await import("./deliveries");
  while (state.waiting.size > 0 || state.claimed.length > 0) {
    if (state.waiting.size < BATCH && state.claimed.length < BATCH) await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
    const batch: DeliverJobData[] = [];
    for (const [key, group] of state.waiting) {
      state.waiting.delete(key);
      batch.push(group);
      if (batch.length >= BATCH) break;
    }
    const claimed = takeClaimedRuns(BATCH);
    try {
      // One round per batch: a group that sent its whole run goes back to the end of the list, so
      // under load its next claim shares the statement of the next batch's new groups.
      await runDeliverJobs(batch, (more) => dispatchDeliveries(more), 1, claimed);
    } catch (error) {
      logger.error({ err: error, groups: batch.length + claimed.length }, "Sending webhook deliveries failed; queued as jobs");
      queueAsJobs([...batch, ...claimed.map(({ delivery }) => ({ endpointId: delivery.endpointId, orderKey: delivery.orderKey }))]);
    }
  }
}

/**
 * The claimed deliveries of up to `groups` groups, oldest first, each group's whole run (a group's
 * runs from several changes stay in order: a change only claims when nothing of its lead is pending).
 */
function takeClaimedRuns(groups: number): PreClaimed[] {
  const keys = new Set<string>();
  let end = 0;
  for (; end < state.claimed.length; end++) {
    const item = state.claimed[end];
    if (!item) break;
    const key = keyOf(item.delivery);
    if (!keys.has(key) && keys.size >= groups) break;
    keys.add(key);
  }
  return state.claimed.splice(0, end);
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
