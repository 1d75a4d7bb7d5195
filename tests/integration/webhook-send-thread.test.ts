import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, expect, it } from "vitest";
import { env } from "@/lib/env";
import { enableSendThread as enableWithEntry, sendAttempt, sendThreadRunning, stopSendThread } from "@/lib/webhooks/send-thread";
import { verifySignature } from "@/lib/webhooks/signing";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

/** lib/webhooks/send-thread: webhook attempts on a thread of their own; what it holds when it goes is retried, not lost. */

let receiver: Receiver | undefined;

/** The server runs the bundled entry; here the thread runs its TypeScript source through tsx, as the tests do. */
const ENTRY = path.resolve("lib/webhooks/send-thread-entry.ts");
const enableSendThread = () => enableWithEntry(() => new Worker(`require("tsx/cjs"); require(${JSON.stringify(ENTRY)});`, { eval: true }));

afterEach(async () => {
  await stopSendThread();
  await receiver?.close();
  receiver = undefined;
});

const input = (url: string, eventId: string) => ({
  url,
  body: JSON.stringify({ id: eventId, type: "lead.updated", createdAt: "2026-11-28T12:00:00.000Z", data: { lead: null } }),
  eventId,
  eventType: "lead.updated",
  secrets: ["whsec_thread_current", "whsec_thread_previous"],
  allowPrivate: true,
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("sends attempts from the sender thread, signed with every active secret, and returns their results", async () => {
  receiver = await startReceiver();
  enableSendThread();
  receiver.statuses = [503];
  const failed = await sendAttempt(input(receiver.url, "whevt_thread_1"));
  expect(sendThreadRunning()).toBe(true);
  expect(failed).toMatchObject({ ok: false, status: 503, body: "failure 503", error: "HTTP 503" });
  const delivered = await sendAttempt(input(receiver.url, "whevt_thread_2"));
  expect(delivered).toMatchObject({ ok: true, status: 200, body: "ok", error: null });
  expect(receiver.requests.map((r) => r.headers["leadline-event-id"])).toEqual(["whevt_thread_1", "whevt_thread_2"]);
  for (const request of receiver.requests) {
    const header = String(request.headers["leadline-signature"]);
    expect(verifySignature("whsec_thread_current", header, request.body)).toBe(true);
    expect(verifySignature("whsec_thread_previous", header, request.body)).toBe(true);
  }
});

it("refuses a private address on the sender thread too, without the setting", async () => {
  receiver = await startReceiver();
  enableSendThread();
  const refused = await sendAttempt({ ...input(receiver.url, "whevt_thread_private"), allowPrivate: false });
  expect(sendThreadRunning()).toBe(true);
  expect(refused.ok).toBe(false);
  expect(refused.error).toMatch(/^Refused: the URL/);
  expect(receiver.requests).toHaveLength(0);
});

it("fails what the thread held when it stops, to be retried like any failed attempt; later attempts run on the caller's thread", async () => {
  receiver = await startReceiver();
  enableSendThread();
  receiver.hold = true;
  const attempt = sendAttempt(input(receiver.url, "whevt_thread_held"));
  await until(() => receiver?.heldCount() === 1);
  receiver.hold = false;
  await stopSendThread();
  expect(sendThreadRunning()).toBe(false);
  expect(await attempt).toMatchObject({ ok: false, status: null, error: "Network error: the sender stopped before the receiver answered" });
  // Stopped: later attempts run here.
  expect(await sendAttempt(input(receiver.url, "whevt_thread_after"))).toMatchObject({ ok: true, status: 200 });
  expect(sendThreadRunning()).toBe(false);
  expect(receiver.requests.map((r) => r.headers["leadline-event-id"])).toEqual(["whevt_thread_after"]);
});

it("is built into the server as a thread entry of its own (the bundler sees `new Worker(new URL(...))`)", () => {
  // The test command builds the app first; this is that build.
  const chunks = fs.readdirSync(path.join(env.LEADLINE_NEXT_DIST_DIR, "server", "chunks"));
  expect(chunks.some((name) => name.startsWith("[worker thread]-lib_webhooks_send-thread-entry"))).toBe(true);
});
