import { Worker } from "node:worker_threads";
import { logger } from "@/lib/log";
import { attemptDelivery, type AttemptInput } from "./attempt";
import type { AttemptResult } from "./send";
import type { AttemptReply, AttemptRequest } from "./send-thread-entry";

/**
 * Webhook attempts run on a thread of their own in the app server: the HTTP client, TLS and the
 * signatures of every delivery stay off the thread that serves requests, so sending a backlog
 * (or opening TLS connections to many receivers) does not hold up API requests and pages. The
 * server's thread keeps everything that touches the database (claims, records, retries); the
 * sender thread only signs and sends, and answers each attempt with its result.
 *
 * - Started by the processes that run the job workers (the app server: lib/jobs/workers.ts), on
 *   the first attempt. Scripts and tests that do not enable it send on their own thread, with the
 *   same code (./attempt).
 * - If the thread dies, or is stopped, with attempts in flight, those attempts fail (a network
 *   error: no answer was received) and are retried like any failed attempt, within the lease and
 *   in order; a receiver that had got one gets it again, with the same event id. The next attempt
 *   starts a new thread. After MAX_DEATHS deaths, attempts stay on the server's thread.
 * The state lives on globalThis: Next.js bundles this module once per server layer.
 */

const MAX_DEATHS = 3;

interface SenderThread {
  worker: Worker;
  pending: Map<number, { started: number; resolve: (result: AttemptResult) => void }>;
  gone: boolean;
}

interface SendThreadState {
  /** Starts the thread; null while attempts stay on the caller's thread. */
  start: (() => Worker) | null;
  thread: SenderThread | null;
  nextId: number;
  deaths: number;
}

const globalForSendThread = globalThis as unknown as { leadlineSendThread?: SendThreadState };
const state = (globalForSendThread.leadlineSendThread ??= { start: null, thread: null, nextId: 0, deaths: 0 });

/** The thread is gone (it died, or was stopped): what it held failed, and is retried as any failed attempt. */
function lose(thread: SenderThread, reason: string | null): void {
  if (thread.gone) return;
  thread.gone = true;
  if (state.thread === thread) state.thread = null;
  const held = [...thread.pending.values()];
  thread.pending.clear();
  if (reason !== null) {
    state.deaths++;
    logger.error({ reason, held: held.length, deaths: state.deaths }, "The webhook sender thread stopped; its attempts in flight failed and are retried");
  }
  for (const { started, resolve } of held) {
    resolve({ ok: false, status: null, timeMs: Date.now() - started, body: null, error: "Network error: the sender stopped before the receiver answered" });
  }
}

/** The thread, on the entry the bundler builds for the server. */
const bundledThread = (): Worker => new Worker(new URL("./send-thread-entry.ts", import.meta.url));

function startThread(): SenderThread | null {
  if (!state.start || state.deaths >= MAX_DEATHS) return null;
  let worker: Worker;
  try {
    worker = state.start();
  } catch (error) {
    state.deaths++;
    logger.error({ err: error, deaths: state.deaths }, "Could not start the webhook sender thread; attempts run on the server's thread");
    return null;
  }
  // The server's shutdown decides when the process ends, not this thread.
  worker.unref();
  const thread: SenderThread = { worker, pending: new Map(), gone: false };
  worker.on("message", (reply: AttemptReply) => {
    const entry = thread.pending.get(reply.id);
    if (!entry) return;
    thread.pending.delete(reply.id);
    entry.resolve(reply.result);
  });
  worker.on("error", (error: Error) => lose(thread, error.message));
  worker.on("exit", (code: number) => lose(thread, `exited with code ${code}`));
  state.thread = thread;
  return thread;
}

/** One attempt of a delivery: on the sender thread where there is one, else here. */
export function sendAttempt(input: AttemptInput): Promise<AttemptResult> {
  const thread = state.thread ?? startThread();
  if (!thread) return attemptDelivery(input);
  return new Promise<AttemptResult>((resolve) => {
    const id = ++state.nextId;
    thread.pending.set(id, { started: Date.now(), resolve });
    thread.worker.postMessage({ id, input } satisfies AttemptRequest);
  });
}

/**
 * Attempts of this process go to the sender thread from now on (it starts with the first).
 * `start` makes the thread: the server's bundled entry by default (tests run the source instead).
 */
export function enableSendThread(start: () => Worker = bundledThread): void {
  state.start = start;
  state.deaths = 0;
}

/** Attempts stay on this thread from now on; the sender thread ends, and what it still held fails (to be retried). */
export async function stopSendThread(): Promise<void> {
  state.start = null;
  const thread = state.thread;
  if (!thread) return;
  lose(thread, null);
  await thread.worker.terminate();
}

/** Whether a sender thread is running now. */
export function sendThreadRunning(): boolean {
  return state.thread !== null;
}
