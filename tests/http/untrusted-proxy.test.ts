import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "@/scripts/lib/test-environment";

/**
 * An app reached directly (LEADLINE_TRUST_PROXY off, the default), on a database of this file's
 * own so that its per-IP counters start empty: a client cannot pick its per-IP counter by sending
 * X-Forwarded-For. Most API requests skip proxy.ts; one that carries the header passes through it
 * (its matcher), and the proxy drops the header, so the request counts against the socket's address
 * like one without it. (The shared test app trusts the header: it stands behind a proxy.)
 */
let database: TempDatabase;
let app: AppServer;

const IP_LIMIT = 4;

beforeAll(async () => {
  database = await startTempDatabase("leadline-untrusted", "leadline_untrusted");
  app = await startAppServer(database.url, { quiet: true, env: { LEADLINE_TRUST_PROXY: "false", LEADLINE_RATE_LIMIT_IP_PER_MINUTE: String(IP_LIMIT) } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await database?.dispose();
}, 60_000);

async function wrongKey(headers: Record<string, string> = {}) {
  const response = await fetch(`${app.baseUrl}/api/leads`, { headers: { "X-API-KEY": "ll_not_a_key", ...headers } });
  await response.arrayBuffer();
  return { status: response.status, remaining: response.headers.get("ratelimit-remaining") };
}

describe("a client's own X-Forwarded-For, on an app that does not trust it", () => {
  it("does not give it another per-IP counter: with or without one, every failed call counts against its address", async () => {
    const replies = [
      await wrongKey(),
      await wrongKey({ "X-Forwarded-For": "203.0.113.7" }),
      await wrongKey({ "X-Forwarded-For": "198.51.100.1, 203.0.113.8" }),
      await wrongKey({ "X-Real-IP": "203.0.113.9", "X-Forwarded-For": "203.0.113.9" }),
      await wrongKey({ "X-Forwarded-For": "203.0.113.10" }),
      await wrongKey(),
    ];
    expect(replies).toEqual([
      { status: 401, remaining: "3" },
      { status: 401, remaining: "2" },
      { status: 401, remaining: "1" },
      { status: 401, remaining: "0" },
      { status: 429, remaining: "0" },
      { status: 429, remaining: "0" },
    ]);
  });
});
