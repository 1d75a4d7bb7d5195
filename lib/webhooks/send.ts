import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkWebhookUrl } from "./address";

/**
 * One HTTP attempt of a webhook delivery: POST, 10 s in all, no redirects, first 1 KB of the reply
 * kept. Connections are kept alive and reused per checked address, at most as many at once as a
 * deliver job sends (so no request waits for a socket and eats into its 10 s, nor outlives the
 * sender's lease); a reused connection that the receiver had already closed is retried once, on a
 * fresh one, within the same 10 s.
 */

export const DELIVERY_TIMEOUT_MS = 10_000;
/** A sender's lease on the deliveries it claims: longer than one attempt can take, so a live sender never loses it. */
export const LEASE_MS = DELIVERY_TIMEOUT_MS + 5_000;
export const RESPONSE_BODY_LIMIT = 1024;

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  timeMs: number;
  body: string | null;
  error: string | null;
}

/** Deliveries a deliver job sends at once (its pg-boss batch size, lib/webhooks/jobs.ts). */
const MAX_SOCKETS_PER_TARGET = 100;
const MAX_AGENTS = 256;
/** An idle kept-alive connection is closed after this long (sooner if the receiver's Keep-Alive header says so). */
const FREE_SOCKET_IDLE_MS = 15_000;
/** Keep-alive agents by protocol, host name and the checked address (a socket only ever reaches the address that was checked). */
const agents = new Map<string, http.Agent>();

function agentFor(url: URL, address: string): http.Agent {
  const key = `${url.protocol}//${url.host}@${address}`;
  const existing = agents.get(key);
  if (existing) {
    // Most recently used last: the oldest is evicted first.
    agents.delete(key);
    agents.set(key, existing);
    return existing;
  }
  // Every idle connection is kept for the next batch (a batch sends up to MAX_SOCKETS_PER_TARGET at
  // once; keeping fewer opened about one new connection per three deliveries under load, on both
  // sides), until it has been idle for FREE_SOCKET_IDLE_MS or as long as the receiver's
  // Keep-Alive hint allows. LIFO hands out the most recently used first, so the surplus idles out.
  const options = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_TARGET,
    maxFreeSockets: MAX_SOCKETS_PER_TARGET,
    timeout: FREE_SOCKET_IDLE_MS,
    scheduling: "lifo" as const,
  };
  const agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  agents.set(key, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldestKey, oldest] = agents.entries().next().value ?? [];
    if (oldestKey !== undefined) agents.delete(oldestKey);
    oldest?.destroy();
  }
  return agent;
}

export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<AttemptResult> {
  const started = Date.now();
  const checked = await checkWebhookUrl(rawUrl, { allowPrivate: options.allowPrivate });
  if (!checked.ok) return { ok: false, status: null, timeMs: Date.now() - started, body: null, error: `Refused: the URL ${checked.message}` };
  const { url, address, family } = checked.target;
  // Connect to the address that was checked, whatever DNS answers now (Host and TLS name stay the URL's).
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = url.protocol === "https:" ? https : http;
  const agent = agentFor(url, address);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const send = (retryStaleSocket: boolean) => new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, "timeMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, timeMs: Date.now() - started });
    };
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        headers: { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "User-Agent": "Leadline-Webhooks/1" },
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
          // Nobody needs more than the first KB: stop reading a large reply.
          if (size > 64 * 1024) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString("utf8");
          finish({ ok: status >= 200 && status < 300, status, body: text, error: status >= 200 && status < 300 ? null : `HTTP ${status}` });
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    // Declared after `finish`, which only runs later (callbacks), so it always sees it.
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, status: null, body: null, error: `Timed out after ${timeoutMs / 1000} s` });
    }, Math.max(0, timeoutMs - (Date.now() - started)));
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (retryStaleSocket && request.reusedSocket && error.code === "ECONNRESET" && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(send(false));
        return;
      }
      finish({ ok: false, status: null, body: null, error: `Network error: ${error.message}` });
    });
    request.end(body);
  });
  return send(true);
}
