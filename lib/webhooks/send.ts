import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkWebhookUrl } from "./address";

/** One HTTP attempt of a webhook delivery: POST, 10 s in all, no redirects, first 1 KB of the reply kept. */

export const DELIVERY_TIMEOUT_MS = 10_000;
export const RESPONSE_BODY_LIMIT = 1024;

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  timeMs: number;
  body: string | null;
  error: string | null;
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
  return new Promise<AttemptResult>((resolve) => {
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
        agent: false,
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
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, status: null, body: null, error: `Timed out after ${(options.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000} s` });
    }, options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    request.on("error", (error) => finish({ ok: false, status: null, body: null, error: `Network error: ${error.message}` }));
    request.end(body);
  });
}
