import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createUser } from "@/lib/users/users";
import { webhookEventSchema } from "@/lib/webhooks/schemas";
import { verifySignature } from "@/lib/webhooks/signing";
import { api, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestOrganization, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

/**
 * Webhooks end to end: the built app (started with LEADLINE_WEBHOOKS_ALLOW_PRIVATE=true and a
 * 200 ms retry base by `npm test`) delivers to receivers on 127.0.0.1 in this process.
 */

interface Setup {
  org: TestOrganization;
  cookie: string;
}

const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function setup(options: { allowBulkUpdates?: boolean } = {}): Promise<Setup> {
  const org = await createTestOrganization(options);
  const cookie = await signIn(org.userEmail, TEST_PASSWORD);
  if (!cookie) throw new Error("admin sign-in failed");
  return { org, cookie };
}

async function addEndpoint(s: Setup, url: string, body: Record<string, unknown> = {}) {
  const reply = await api("POST", "/api/settings/webhooks", {
    cookie: s.cookie,
    body: { url, description: "test receiver", events: ["lead.created", "lead.updated", "lead.status_changed", "lead.note_added"], ...body },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.data as { endpoint: { id: string; enabled: boolean }; secret: string };
}

async function createLeadApi(s: Setup, body: Record<string, unknown>) {
  const reply = await api("POST", "/api/leads", { key: s.org.apiKey, body });
  expect(reply.status).toBe(201);
  return reply.body.data as { id: string; email: string | null };
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("webhook deliveries", () => {
  it("are signed with the endpoint's secret, carry the event headers and the documented payload", async () => {
    const s = await setup();
    const r = await receiver();
    const { secret } = await addEndpoint(s, r.url, { events: ["lead.created"] });
    expect(secret).toMatch(/^whsec_/);

    const created = await api("POST", "/api/leads", { key: s.org.apiKey, body: { name: "Ada", email: `ada-${uniqueSuffix()}@example.com`, status: "qualified" } });
    expect(created.status).toBe(201);
    const [delivery] = await r.waitFor(1);
    expect(delivery).toBeDefined();
    if (!delivery) return;

    const signature = String(delivery.headers["leadline-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, signature, delivery.body)).toBe(true);
    expect(verifySignature(secret, signature, `${delivery.body} `)).toBe(false);
    expect(verifySignature("whsec_wrong", signature, delivery.body)).toBe(false);

    const event = webhookEventSchema.parse(delivery.json);
    expect(delivery.headers["leadline-event-id"]).toBe(event.id);
    expect(delivery.headers["leadline-event-type"]).toBe("lead.created");
    expect(event.type).toBe("lead.created");
    expect(event.data.lead).toMatchObject({ id: (created.body.data as { id: string }).id, status: "qualified", name: "Ada" });
    expect(event.data.actor).toEqual({ type: "api_key", id: s.org.apiKeyId, name: "Test key" });
    expect(event.data.requestId).toBe(created.headers.get("x-request-id"));
    expect(Object.keys(delivery.json)).toEqual(["id", "type", "createdAt", "data"]);
    expect(Object.keys(delivery.json.data)).toEqual(["lead", "changes", "actor", "requestId"]);
  });

  it("are filtered by event type and by the status changed to", async () => {
    const s = await setup();
    const wonOnly = await receiver();
    const notes = await receiver();
    await addEndpoint(s, wonOnly.url, { events: ["lead.status_changed"], statuses: ["won"] });
    await addEndpoint(s, notes.url, { events: ["lead.note_added"] });

    const lead = await createLeadApi(s, { name: "Filter me" });
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, status: "qualified" } })).status).toBe(200);
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, status: "won", value: 500, note: "Signed" } })).status).toBe(200);

    // Per lead and endpoint, events go out in order: once the won change arrived, an earlier
    // (wrongly) subscribed one would have arrived before it.
    await wonOnly.waitFor(1);
    expect(wonOnly.requests.map((q) => [q.json.type, (q.json.data.changes as { status: { to: string } }).status.to])).toEqual([["lead.status_changed", "won"]]);
    await notes.waitFor(1);
    expect(notes.requests.map((q) => [q.json.type, q.json.data.changes])).toEqual([["lead.note_added", { note: { to: "Signed" } }]]);
  });

  it("deliver every event of a lead in the order of the changes", async () => {
    const s = await setup();
    const r = await receiver();
    await addEndpoint(s, r.url, { events: ["lead.updated"] });
    const lead = await createLeadApi(s, { name: "Order" });
    r.statuses.push(500); // the first one is retried: the later ones must wait for it
    for (const value of [1, 2, 3, 4, 5]) {
      expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, value } })).status).toBe(200);
    }
    await r.waitFor(6);
    const values = r.requests.map((q) => (q.json.data.changes as { value: { to: number } }).value.to);
    expect(values).toEqual([1, 1, 2, 3, 4, 5]);
  });

  // The instance that commits a change claims its deliveries in the change's own INSERT and sends
  // them from memory; a change whose lead still has a pending delivery leaves its own unclaimed,
  // behind it, for the sender to claim once the earlier one is done.
  it("are claimed by the change that writes them, unless an earlier delivery of the lead is pending", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url, { events: ["lead.updated"] });
    const lead = await createLeadApi(s, { name: "Held" });
    const delivery = async (value: number) => {
      const rows = await prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id, leadId: lead.id }, orderBy: { seq: "asc" } });
      const found = rows.find((d) => (JSON.parse(JSON.stringify(d.payload)) as { data: { changes: { value?: { to: number } } } }).data.changes.value?.to === value);
      if (!found) throw new Error(`no delivery with value ${value}`);
      return found;
    };

    r.hold = true;
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, value: 1 } })).status).toBe(200);
    // Claimed by the INSERT: leased and counted as attempted when the change commits, before the
    // send loop (which waits 0.1 s to gather a batch) has run.
    expect(await delivery(1)).toMatchObject({ status: "pending", attempts: 1, lockedUntil: expect.any(Date) });
    await poll(() => Promise.resolve(r.heldCount()), (n) => n === 1);

    // The first one is in flight (held): the next change of the lead does not claim its own.
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, value: 2 } })).status).toBe(200);
    expect(await delivery(2)).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });

    r.hold = false;
    r.release(); // the held request fails (reset) and is retried; the second follows it
    await poll(
      () => prisma.webhookDelivery.count({ where: { endpointId: endpoint.id, status: "delivered" } }),
      (n) => n === 2,
    );
    const values = r.requests.map((q) => (q.json.data.changes as { value: { to: number } }).value.to);
    expect(values).toEqual([1, 2]);
  });

  // The instance sends a batch per endpoint, one endpoint's batch at a time: a receiver that keeps
  // its request open (up to the 10 s timeout) holds up its own endpoint only. Before, one batch
  // of every endpoint's deliveries waited for it, and so did every later delivery.
  it("to one endpoint are not held up by another endpoint's slow receiver", async () => {
    const s = await setup();
    const [slow, fast] = [await receiver(), await receiver()];
    await addEndpoint(s, slow.url, { events: ["lead.updated"] });
    await addEndpoint(s, fast.url, { events: ["lead.updated"] });
    const [a, b] = [await createLeadApi(s, { name: "First" }), await createLeadApi(s, { name: "Second" })];
    slow.hold = true;
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: a.id, value: 1 } })).status).toBe(200);
    await poll(() => Promise.resolve(slow.heldCount()), (n) => n === 1);
    await fast.waitFor(1, 5_000);
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: b.id, value: 2 } })).status).toBe(200);
    // Well within the slow request's 10 s: the fast endpoint's next batch does not wait for it.
    await fast.waitFor(2, 5_000);
    expect(slow.heldCount()).toBe(1);
    slow.hold = false;
    slow.release();
    await slow.waitFor(2);
  });

  // A bulk update wakes all its leads' deliveries at once: one batch sends them side by side, one
  // connection each. Those connections are kept for the next batches (with at most 16 kept, each
  // later burst here opened about 24 new ones).
  it("reuse their kept-alive connections from one burst of deliveries to the next", async () => {
    const s = await setup({ allowBulkUpdates: true });
    const r = await receiver();
    await addEndpoint(s, r.url, { events: ["lead.updated"] });
    const email = `burst-${uniqueSuffix()}@example.com`;
    for (let i = 0; i < 40; i++) await createLeadApi(s, { name: `Burst ${i}`, email });
    for (const [i, value] of [100, 200, 300].entries()) {
      const reply = await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { email, value } });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      await r.waitFor(40 * (i + 1));
    }
    expect(r.requests).toHaveLength(120);
    expect(r.connections).toBeLessThanOrEqual(50);
  });

  it("are retried after 500, 500 with the same event id until a 200, and logged with attempts and the response", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url, { events: ["lead.created"] });
    r.statuses.push(500, 500);
    await createLeadApi(s, { name: "Retry me" });
    const requests = await r.waitFor(3);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((q) => q.json.id)).size).toBe(1);
    expect(new Set(requests.map((q) => q.headers["leadline-event-id"])).size).toBe(1);

    const log = await poll(
      () => api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries`, { cookie: s.cookie }),
      (reply) => (reply.body.data as { deliveries: { status: string }[] }).deliveries[0]?.status === "delivered",
    );
    const { deliveries } = log.body.data as { deliveries: Record<string, unknown>[] };
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventType: "lead.created", eventId: requests[0]?.json.id, status: "delivered", attempts: 3, responseStatus: 200, responseBody: "ok" });
    expect(typeof deliveries[0]?.responseTimeMs).toBe("number");
  });

  it("a rolled-back bulk update sends nothing, a committed one sends its events", async () => {
    const s = await setup({ allowBulkUpdates: true });
    const r = await receiver();
    await addEndpoint(s, r.url, { events: ["lead.updated", "lead.status_changed"] });
    const email = `bulk-${uniqueSuffix()}@example.com`;
    const a = await createLeadApi(s, { email });
    const b = await createLeadApi(s, { email });
    const fn = `hooks_test_fail_${uniqueSuffix()}`;
    // Fails the COMMIT (a deferred constraint trigger), after the leads, the outbox and its jobs were written.
    await prisma.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'rolled back by the test'; END $$`);
    await prisma.$executeRawUnsafe(
      `CREATE CONSTRAINT TRIGGER ${fn} AFTER UPDATE ON "Lead" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."organizationId" = '${s.org.organizationId}') EXECUTE FUNCTION ${fn}()`,
    );
    try {
      const failed = await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { email, status: "won" } });
      expect(failed.status).toBe(500);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "Lead"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect((await prisma.lead.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("open");
    expect(await prisma.webhookDelivery.count({ where: { organizationId: s.org.organizationId } })).toBe(0);
    const jobs = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'webhook-deliver' AND data->>'orderKey' IN (${a.id}, ${b.id})`;
    expect(Number(jobs[0]?.n)).toBe(0);

    // The same update, committed: both leads' events arrive (and nothing from the rolled-back one).
    expect((await api("PATCH", "/api/leads", { key: s.org.apiKey, body: { email, status: "lost", lossReason: "Budget" } })).status).toBe(200);
    const requests = await r.waitFor(4);
    expect(requests.map((q) => q.json.type).sort()).toEqual(["lead.status_changed", "lead.status_changed", "lead.updated", "lead.updated"]);
    expect(requests.every((q) => (q.json.data.lead as { status: string }).status === "lost")).toBe(true);
  });
});

describe("webhook endpoints (admin)", () => {
  it("rotate the secret: both the new and the old secret sign for 24 hours", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint, secret: oldSecret } = await addEndpoint(s, r.url);
    const rotated = await api("POST", `/api/settings/webhooks/${endpoint.id}/rotate-secret`, { cookie: s.cookie });
    expect(rotated.status).toBe(200);
    const { secret: newSecret, endpoint: after } = rotated.body.data as { secret: string; endpoint: { previousSecretExpiresAt: string } };
    expect(newSecret).not.toBe(oldSecret);
    const overlapHours = (Date.parse(after.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(overlapHours).toBeGreaterThan(23.9);
    expect(overlapHours).toBeLessThanOrEqual(24);

    expect((await api("POST", `/api/settings/webhooks/${endpoint.id}/test`, { cookie: s.cookie })).status).toBe(202);
    const [delivery] = await r.waitFor(1);
    const signature = String(delivery?.headers["leadline-signature"]);
    expect(signature.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(newSecret, signature, delivery?.body ?? "")).toBe(true);
    expect(verifySignature(oldSecret, signature, delivery?.body ?? "")).toBe(true);
    expect(delivery?.json.type).toBe("webhook.test");
  });

  it("replay a delivery with the same event id; the log is newest first and paged", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url);
    expect((await api("POST", `/api/settings/webhooks/${endpoint.id}/test`, { cookie: s.cookie })).status).toBe(202);
    await r.waitFor(1);
    const first = await poll(
      () => api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries`, { cookie: s.cookie }),
      (reply) => (reply.body.data as { deliveries: { status: string }[] }).deliveries[0]?.status === "delivered",
    );
    const original = (first.body.data as { deliveries: { id: string; eventId: string }[] }).deliveries[0]!;
    const replay = await api("POST", `/api/settings/webhooks/${endpoint.id}/deliveries/${original.id}/replay`, { cookie: s.cookie });
    expect(replay.status).toBe(202);
    const requests = await r.waitFor(2);
    expect(requests[1]?.json.id).toBe(original.eventId);
    expect(requests[1]?.headers["leadline-event-id"]).toBe(original.eventId);

    const page1 = await api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries?pageSize=1`, { cookie: s.cookie });
    const data1 = page1.body.data as { deliveries: { id: string }[]; hasMore: boolean };
    expect(data1.deliveries[0]?.id).toBe((replay.body.data as { id: string }).id);
    expect(data1.hasMore).toBe(true);
    const page2 = await api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries?pageSize=1&page=2`, { cookie: s.cookie });
    expect((page2.body.data as { deliveries: { id: string }[] }).deliveries[0]?.id).toBe(original.id);
    expect((await api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries?page=0`, { cookie: s.cookie })).status).toBe(400);
  });

  it("disable, enable and delete an endpoint; a disabled one receives nothing until enabled", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url, { events: ["lead.created"] });
    const disabled = await api("PATCH", `/api/settings/webhooks/${endpoint.id}`, { cookie: s.cookie, body: { enabled: false } });
    expect(disabled.body.data).toMatchObject({ enabled: false, disabledReason: "Disabled by an admin" });
    await createLeadApi(s, { name: "While disabled" });
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect((await api("POST", `/api/settings/webhooks/${endpoint.id}/test`, { cookie: s.cookie })).status).toBe(409);

    const enabled = await api("PATCH", `/api/settings/webhooks/${endpoint.id}`, { cookie: s.cookie, body: { enabled: true } });
    expect(enabled.body.data).toMatchObject({ enabled: true, disabledReason: null });
    await createLeadApi(s, { name: "After enabling" });
    const [delivery] = await r.waitFor(1);
    expect((delivery?.json.data.lead as { name: string }).name).toBe("After enabling");

    expect((await api("DELETE", `/api/settings/webhooks/${endpoint.id}`, { cookie: s.cookie })).status).toBe(200);
    expect((await api("GET", "/api/settings/webhooks", { cookie: s.cookie })).body.data).toEqual([]);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });

  it("a change follows the endpoints as they are when its request starts, through the API and the app", async () => {
    // The API key and session lookups read whether an endpoint is enabled (lib/webhooks/outbox.ts):
    // nothing of it may outlive the request that read it.
    const s = await setup();
    const r = await receiver();
    const lead = await createLeadApi(s, { name: "Followed" });
    const patch = (status: string) => api("PATCH", "/api/leads", { key: s.org.apiKey, body: { id: lead.id, status } });
    const move = async (status: string) => {
      const current = await prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
      const moved = await api("POST", "/api/app/pipeline/move", { cookie: s.cookie, body: { leadId: lead.id, status, expectedVersion: current.version } });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    };
    const deliveries = () => prisma.webhookDelivery.findMany({ where: { leadId: lead.id }, orderBy: { seq: "asc" } });

    expect((await patch("qualified")).status).toBe(200);
    await move("open");
    expect(await deliveries()).toEqual([]);

    const { endpoint } = await addEndpoint(s, r.url, { events: ["lead.status_changed"] });
    expect((await patch("won")).status).toBe(200);
    await move("qualified");
    const sent = await r.waitFor(2);
    expect(sent.map((d) => (d.json.data.lead as { status: string }).status)).toEqual(["won", "qualified"]);

    expect((await api("PATCH", `/api/settings/webhooks/${endpoint.id}`, { cookie: s.cookie, body: { enabled: false } })).status).toBe(200);
    expect((await patch("won")).status).toBe(200);
    await move("qualified");
    expect((await deliveries()).map((d) => d.eventType)).toEqual(["lead.status_changed", "lead.status_changed"]);
  });

  it("disable an endpoint that has failed for 3 days in a row, and say why", async () => {
    const s = await setup();
    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url);
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(Date.now() - 3 * 24 * 3_600_000 - 60_000) } });
    r.statuses.push(503);
    expect((await api("POST", `/api/settings/webhooks/${endpoint.id}/test`, { cookie: s.cookie })).status).toBe(202);
    const list = await poll(
      () => api("GET", "/api/settings/webhooks", { cookie: s.cookie }),
      (reply) => (reply.body.data as { enabled: boolean }[])[0]?.enabled === false,
    );
    expect((list.body.data as { disabledReason: string }[])[0]?.disabledReason).toMatch(/failed for 3 days in a row.*HTTP 503/);
  });

  it("refuse bad input with field errors, other organizations' endpoints, and salespeople", async () => {
    const s = await setup();
    const bad = await api("POST", "/api/settings/webhooks", { cookie: s.cookie, body: { url: "ftp://example.com", events: ["lead.deleted"] } });
    expect(bad.status).toBe(400);
    const fields = (bad.body.error?.details as { issues: { field: string }[] }).issues.map((i) => i.field);
    expect(fields).toContain("events.0");
    const noEvents = await api("POST", "/api/settings/webhooks", { cookie: s.cookie, body: { url: "https://example.com", events: [] } });
    expect(noEvents.status).toBe(400);
    const scheme = await api("POST", "/api/settings/webhooks", { cookie: s.cookie, body: { url: "ftp://example.com/x", events: ["lead.created"] } });
    expect(scheme.status).toBe(400);
    expect(scheme.body.error?.message).toMatch(/^url: must be an https:\/\/ URL/);

    const r = await receiver();
    const { endpoint } = await addEndpoint(s, r.url);
    const other = await setup();
    expect((await api("PATCH", `/api/settings/webhooks/${endpoint.id}`, { cookie: other.cookie, body: { enabled: false } })).status).toBe(404);
    expect((await api("GET", `/api/settings/webhooks/${endpoint.id}/deliveries`, { cookie: other.cookie })).status).toBe(404);

    const salesEmail = `sales-${uniqueSuffix()}@example.com`;
    await createUser(s.org.organizationId, { name: "Sales", email: salesEmail, password: TEST_PASSWORD, role: "sales" });
    const salesCookie = await signIn(salesEmail, TEST_PASSWORD);
    expect((await api("GET", "/api/settings/webhooks", { cookie: salesCookie })).status).toBe(403);
    expect((await api("POST", `/api/settings/webhooks/${endpoint.id}/test`, { cookie: salesCookie })).status).toBe(403);
    expect((await api("GET", "/api/settings/webhooks", { key: s.org.apiKey })).status).toBe(401);
  });
});
