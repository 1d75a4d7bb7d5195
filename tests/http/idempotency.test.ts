import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { baseUrl } from "../helpers/http";
import { createTestLead, createTestOrganization, leadHistory, type TestOrganization } from "../helpers/fixtures";

/** A raw call: the reply body as text, to compare replays byte for byte. */
async function send(method: string, path: string, key: string, body: unknown, idempotencyKey?: string) {
  const headers: Record<string, string> = { "X-API-KEY": key, "Content-Type": "application/json" };
  if (idempotencyKey !== undefined) headers["Idempotency-Key"] = idempotencyKey;
  const response = await fetch(`${baseUrl()}${path}`, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as { error?: { code: string } } };
}

const uniqueKey = (label: string) => `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

describe("Idempotency-Key on PATCH /api/leads", () => {
  it("replays the first reply byte for byte, with Idempotent-Replayed: true, and writes nothing", async () => {
    const lead = await createTestLead(org);
    const key = uniqueKey("patch");
    const body = { id: lead.id, status: "qualified", note: "Called back" };
    const first = await send("PATCH", "/api/leads", org.apiKey, body, key);
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const second = await send("PATCH", "/api/leads", org.apiKey, body, key);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/json");
    expect(second.headers.get("x-request-id")).toBe(first.headers.get("x-request-id"));

    const history = await leadHistory(lead.id);
    expect(history.notes).toHaveLength(1);
    expect(history.events).toHaveLength(2); // created + one update
  });

  it("runs 20 concurrent requests with one key exactly once: one note, the others 409 or a replay", async () => {
    const lead = await createTestLead(org);
    const key = uniqueKey("burst");
    const body = { id: lead.id, note: "Exactly once" };
    const replies = await Promise.all(Array.from({ length: 20 }, () => send("PATCH", "/api/leads", org.apiKey, body, key)));

    const fresh = replies.filter((r) => r.status === 200 && r.headers.get("idempotent-replayed") === null);
    const replayed = replies.filter((r) => r.status === 200 && r.headers.get("idempotent-replayed") === "true");
    const inFlight = replies.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(replayed.length + inFlight.length).toBe(19);
    for (const r of inFlight) expect(r.json.error?.code).toBe("CONFLICT");
    for (const r of replayed) expect(r.text).toBe(fresh[0]!.text);
    expect((await leadHistory(lead.id)).notes.map((n) => n.body)).toEqual(["Exactly once"]);
  });

  it("refuses the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, nothing written", async () => {
    const lead = await createTestLead(org);
    const key = uniqueKey("reuse");
    expect((await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "first" }, key)).status).toBe(200);
    const reused = await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "second" }, key);
    expect(reused.status).toBe(422);
    expect(reused.json.error?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await leadHistory(lead.id)).notes.map((n) => n.body)).toEqual(["first"]);
  });

  it("stores 4xx replies too: a replayed 404 stays a 404 even once the lead exists elsewhere", async () => {
    const key = uniqueKey("404");
    const body = { email: `nobody-${key}@example.com`, note: "x" };
    const first = await send("PATCH", "/api/leads", org.apiKey, body, key);
    expect(first.status).toBe(404);
    await createTestLead(org, { email: body.email });
    const second = await send("PATCH", "/api/leads", org.apiKey, body, key);
    expect(second.status).toBe(404);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("keeps keys per organization: the same key in another organization runs on its own", async () => {
    const key = uniqueKey("per-org");
    const mine = await createTestLead(org);
    const theirs = await createTestLead(other);
    expect((await send("PATCH", "/api/leads", org.apiKey, { id: mine.id, note: "a" }, key)).status).toBe(200);
    const reply = await send("PATCH", "/api/leads", other.apiKey, { id: theirs.id, note: "b" }, key);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("idempotent-replayed")).toBeNull();
    expect((await leadHistory(theirs.id)).notes.map((n) => n.body)).toEqual(["b"]);
  });

  it("refuses a key over 255 characters or blank with 400 and writes nothing", async () => {
    const lead = await createTestLead(org);
    const tooLong = await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "x" }, "k".repeat(256));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error?.code).toBe("VALIDATION_ERROR");
    const blank = await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "x" }, "   ");
    expect(blank.status).toBe(400);
    expect((await leadHistory(lead.id)).notes).toHaveLength(0);
    const longest = await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "y" }, `${uniqueKey("max")}${"k".repeat(255)}`.slice(0, 255));
    expect(longest.status).toBe(200);
  });

  it("runs again once the record has expired (older than 24 hours)", async () => {
    const lead = await createTestLead(org);
    const key = uniqueKey("expired");
    const body = { id: lead.id, note: "again after a day" };
    expect((await send("PATCH", "/api/leads", org.apiKey, body, key)).status).toBe(200);
    await prisma.$executeRaw`UPDATE "IdempotencyKey" SET "createdAt" = "createdAt" - interval '25 hours'
      WHERE "organizationId" = ${org.organizationId} AND "key" = ${key}`;
    const again = await send("PATCH", "/api/leads", org.apiKey, body, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect((await leadHistory(lead.id)).notes).toHaveLength(2);
  });
});

describe("Idempotency-Key on POST /api/leads", () => {
  it("creates one lead for any number of retries, each replay 201 with the same body", async () => {
    const key = uniqueKey("post");
    const email = `idem-${key}@example.com`;
    const body = { name: "Ada Lovelace", email, note: "Asked for a demo" };
    const first = await send("POST", "/api/leads", org.apiKey, body, key);
    expect(first.status).toBe(201);
    const second = await send("POST", "/api/leads", org.apiKey, body, key);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId, emailNormalized: email } })).toBe(1);
  });

  it("a key used on PATCH is another request on POST: 422", async () => {
    const key = uniqueKey("cross");
    const lead = await createTestLead(org);
    expect((await send("PATCH", "/api/leads", org.apiKey, { id: lead.id, note: "n" }, key)).status).toBe(200);
    const post = await send("POST", "/api/leads", org.apiKey, { id: lead.id, note: "n" }, key);
    expect(post.status).toBe(422);
  });
});
