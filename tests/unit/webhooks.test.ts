import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPublicAddress } from "@/lib/webhooks/address";
import { nextAttemptAt, RETRY_WINDOW_MS } from "@/lib/webhooks/deliveries";
import { postWebhook } from "@/lib/webhooks/send";
import { signatureHeader, verifySignature } from "@/lib/webhooks/signing";

describe("webhook URL check (SSRF)", () => {
  const refused = [
    "https://127.0.0.1/hook",
    "https://10.1.2.3/",
    "https://172.16.5.4/",
    "https://192.168.1.10/",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/",
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://localhost/",
    "https://metadata.google.internal/computeMetadata/v1/",
  ];
  it.each(refused)("refuses %s without LEADLINE_WEBHOOKS_ALLOW_PRIVATE", async (url) => {
    const checked = await checkWebhookUrl(url, { allowPrivate: false });
    expect(checked.ok).toBe(false);
  });

  it("accepts a public https address, refuses http and credentials", async () => {
    expect((await checkWebhookUrl("https://93.184.215.14/hook", { allowPrivate: false })).ok).toBe(true);
    expect(await checkWebhookUrl("http://93.184.215.14/hook", { allowPrivate: false })).toEqual({ ok: false, message: "must be an https:// URL" });
    expect((await checkWebhookUrl("https://user:pw@93.184.215.14/", { allowPrivate: false })).ok).toBe(false);
    expect((await checkWebhookUrl("not a url", { allowPrivate: false })).ok).toBe(false);
  });

  it("allows loopback (and http) only with the setting", async () => {
    const checked = await checkWebhookUrl("http://127.0.0.1:9/hook", { allowPrivate: true });
    expect(checked.ok && checked.target.address).toBe("127.0.0.1");
  });

  it("classifies addresses", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("2606:4700:4700::1111")).toBe(true);
    expect(isPublicAddress("169.254.169.254")).toBe(false);
    expect(isPublicAddress("::ffff:10.0.0.1")).toBe(false);
  });

  it("is checked again at delivery: a private URL is refused without a connection", async () => {
    const result = await postWebhook("https://127.0.0.1:9/hook", "{}", {}, { allowPrivate: false });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.error).toMatch(/^Refused: the URL resolves to 127\.0\.0\.1/);
  });
});

/** A receiver on 127.0.0.1 that counts connections and requests; `onRequest` may cut a connection instead of answering. */
async function countingReceiver(onRequest: (nthOnConnection: number) => "answer" | "cut") {
  const seen = { connections: 0, requests: 0 };
  const perSocket = new WeakMap<object, number>();
  const server = http.createServer((req, res) => {
    seen.requests++;
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    req.resume();
    req.on("end", () => (onRequest(n) === "cut" ? req.socket.destroy() : res.writeHead(204).end()));
  });
  server.on("connection", () => seen.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, seen, close };
}

describe("webhook HTTP attempts", () => {
  it("reuse one kept-alive connection for consecutive deliveries", async () => {
    const receiver = await countingReceiver(() => "answer");
    try {
      for (let i = 0; i < 3; i++) expect(await postWebhook(receiver.url, "{}", {}, { allowPrivate: true })).toMatchObject({ ok: true, status: 204 });
      expect(receiver.seen).toEqual({ connections: 1, requests: 3 });
    } finally {
      await receiver.close();
    }
  });

  it("retry once, on a fresh connection, when the receiver dropped the kept-alive one", async () => {
    // The second request on a connection finds it closed, as after a receiver's idle timeout.
    const receiver = await countingReceiver((nthOnConnection) => (nthOnConnection === 2 ? "cut" : "answer"));
    try {
      expect(await postWebhook(receiver.url, "{}", {}, { allowPrivate: true })).toMatchObject({ ok: true });
      expect(await postWebhook(receiver.url, "{}", {}, { allowPrivate: true })).toMatchObject({ ok: true, status: 204, error: null });
      expect(receiver.seen).toEqual({ connections: 2, requests: 3 });
    } finally {
      await receiver.close();
    }
  });

  it("do not retry a fresh connection that fails: the attempt fails", async () => {
    const receiver = await countingReceiver(() => "cut");
    try {
      const result = await postWebhook(receiver.url, "{}", {}, { allowPrivate: true });
      expect(result).toMatchObject({ ok: false, status: null });
      expect(result.error).toMatch(/^Network error: /);
      expect(receiver.seen.requests).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});

describe("webhook signatures", () => {
  it("verify with either secret during a rotation, and refuse an old timestamp", () => {
    const body = '{"id":"x"}';
    const header = signatureHeader(["whsec_new", "whsec_old"], body);
    expect(verifySignature("whsec_new", header, body)).toBe(true);
    expect(verifySignature("whsec_old", header, body)).toBe(true);
    expect(verifySignature("whsec_other", header, body)).toBe(false);
    const old = signatureHeader(["whsec_new"], body, Math.floor(Date.now() / 1000) - 600);
    expect(verifySignature("whsec_new", old, body, 300)).toBe(false);
    expect(verifySignature("whsec_new", old, body, 900)).toBe(true);
  });
});

describe("webhook retry schedule", () => {
  const created = new Date("2026-01-01T00:00:00Z");
  it("doubles the delay with 50-100 % jitter", () => {
    const at = (attempts: number, random: number) => nextAttemptAt(attempts, created, created, 1000, () => random)!.getTime() - created.getTime();
    expect(at(1, 1)).toBe(1000);
    expect(at(1, 0)).toBe(500);
    expect(at(2, 1)).toBe(2000);
    expect(at(5, 1)).toBe(16_000);
    expect(at(30, 1)).toBe(6 * 3_600_000);
  });
  it("gives up when the next attempt would be more than 24 hours after the event", () => {
    const late = new Date(created.getTime() + RETRY_WINDOW_MS - 500);
    expect(nextAttemptAt(3, created, late, 1000, () => 1)).toBeNull();
    expect(nextAttemptAt(3, created, new Date(created.getTime() + 1000), 1000, () => 1)).not.toBeNull();
  });
});

describe("webhooks in OpenAPI 3.1", () => {
  it("is a valid `webhooks` section whose payload schemas accept a real event", async () => {
    const { Validator } = await import("@seriousme/openapi-schema-validator");
    const { webhooksOpenApi, webhookEventSchema } = await import("@/lib/webhooks/schemas");
    const { webhooks, schemas } = webhooksOpenApi();
    expect(Object.keys(webhooks)).toEqual(["lead.created", "lead.updated", "lead.status_changed", "lead.note_added"]);
    const document = { openapi: "3.1.0", info: { title: "Leadline webhooks", version: "1" }, webhooks, components: { schemas } };
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const lead = { id: "lead_1", name: null, email: null, phone: null, company: null, source: "api", status: "won", value: 10, currency: "USD", lossReason: null, lossReasonId: null, qualifiedAt: null, wonAt: "2026-01-01T00:00:00.000Z", lostAt: null, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", version: 2 };
    const event = { id: "whevt_1", type: "lead.status_changed", createdAt: "2026-01-01T00:00:00.000Z", data: { lead, changes: { status: { from: "open", to: "won" } }, actor: { type: "api_key", id: "key_1", name: "Zapier" }, requestId: "req_1" } };
    expect(webhookEventSchema.safeParse(event).success).toBe(true);
  });
});
