import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { createTestLead, createTestOrganization, leadHistory, leadRow, type TestOrganization } from "../helpers/fixtures";

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

describe("POST /api/leads", () => {
  it("creates an open lead and answers 201 with it", async () => {
    const reply = await api("POST", "/api/leads", {
      key: org.apiKey,
      body: { name: "Ada Lovelace", email: " Ada@Example.com ", phone: "(415) 555-2671", company: "Analytical Engines", value: "1500.5", note: "From the web form" },
    });
    expect(reply.status).toBe(201);
    const lead = reply.body.data as { id: string; status: string; value: number; source: string };
    expect(lead).toMatchObject({ name: "Ada Lovelace", email: "Ada@Example.com", status: "open", value: 1500.5, currency: "USD", source: "api" });
    expect(lead.id).toMatch(/^lead_[A-Za-z0-9]+$/);
    const row = await leadRow(lead.id);
    expect(row).toMatchObject({ organizationId: org.organizationId, emailNormalized: "ada@example.com", phoneNormalized: "+14155552671" });
    const history = await leadHistory(lead.id);
    expect(history.notes.map((n) => n.body)).toEqual(["From the web form"]);
    expect(history.events).toMatchObject([{ type: "created", actorType: "api_key", source: "api" }]);
  });

  it("applies the update rules to the initial status", async () => {
    const reply = await api("POST", "/api/leads", { key: org.apiKey, body: { email: "won-at-once@example.com", status: "WON", lossReason: "ignored" } });
    const row = await leadRow((reply.body.data as { id: string }).id);
    expect(row.status).toBe("won");
    expect(row.wonAt).not.toBeNull();
    expect(row.qualifiedAt).not.toBeNull();
    expect(row.lossReason).toBeNull();
  });

  it("allows duplicates by e-mail", async () => {
    const first = await api("POST", "/api/leads", { key: org.apiKey, body: { email: "twice@example.com" } });
    const second = await api("POST", "/api/leads", { key: org.apiKey, body: { email: "TWICE@example.com" } });
    expect([first.status, second.status]).toEqual([201, 201]);
  });

  it.each([
    [{ company: "No identity" }],
    [{ name: "  ", email: "" }],
    [{ email: "broken" }],
    [{ phone: "not a phone" }],
    [{ name: "Bad value", value: "5,000" }],
    [{ name: "Bad status", status: "closed" }],
  ])("refuses %j with 400", async (body) => {
    const reply = await api("POST", "/api/leads", { key: org.apiKey, body });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe("VALIDATION_ERROR");
  });

  it("needs a key", async () => {
    expect((await api("POST", "/api/leads", { body: { name: "x" } })).status).toBe(401);
  });
});

describe("GET /api/leads", () => {
  let listOrg: TestOrganization;
  beforeAll(async () => {
    listOrg = await createTestOrganization();
    for (let i = 0; i < 7; i++) {
      await createTestLead(listOrg, {
        name: `Zed Person ${i}`,
        email: `zed${i}@zedcorp.example`,
        phone: `+1 646 555 01${10 + i}`,
        value: String(100 * (i + 1)),
        status: i < 2 ? "won" : "open",
      });
    }
    await createTestLead(listOrg, { name: "Someone Else", email: "else@other.example" });
  });

  const list = (query: string, key = listOrg.apiKey) => api("GET", `/api/leads${query}`, { key });

  it("pages with meta.pagination, newest first by default", async () => {
    const reply = await list("?limit=3&page=2");
    expect(reply.status).toBe(200);
    expect(reply.body.meta.pagination).toMatchObject({ page: 2, limit: 3, total: 8, totalIsEstimate: false, totalPages: 3, hasMore: true });
    const names = (reply.body.data as { name: string }[]).map((l) => l.name);
    expect(names).toEqual(["Zed Person 4", "Zed Person 3", "Zed Person 2"]);
    const last = await list("?limit=3&page=3");
    expect(last.body.meta.pagination).toMatchObject({ hasMore: false });
  });

  it("searches name, e-mail and phone", async () => {
    expect((await list("?search=zed%20person")).body.meta.pagination).toMatchObject({ total: 7 });
    expect((await list("?search=ZEDCORP")).body.meta.pagination).toMatchObject({ total: 7 });
    expect((await list("?search=555-0113")).body.data).toMatchObject([{ name: "Zed Person 3" }]);
    expect((await list("?search=nomatch")).body.data).toEqual([]);
  });

  it("filters by status, e-mail and phone", async () => {
    expect((await list("?status=won")).body.meta.pagination).toMatchObject({ total: 2 });
    expect((await list("?email=ZED3@zedcorp.example")).body.data).toMatchObject([{ name: "Zed Person 3" }]);
    expect((await list("?phone=(646)%20555-0114")).body.data).toMatchObject([{ name: "Zed Person 4" }]);
  });

  it("sorts", async () => {
    const byValue = (await list("?sort=value:desc&limit=2")).body.data as { value: number }[];
    expect(byValue.map((l) => l.value)).toEqual([700, 600]);
    const byName = (await list("?sort=name:asc&limit=1")).body.data as { name: string }[];
    expect(byName[0]?.name).toBe("Someone Else");
  });

  it("refuses bad queries with 400", async () => {
    for (const query of ["?limit=101", "?limit=0", "?page=0", "?sort=secret", "?status=closed", "?email=bad"]) {
      const reply = await list(query);
      expect(reply.status, query).toBe(400);
      expect(reply.body.error?.code).toBe("VALIDATION_ERROR");
    }
  });

  it("shows only the key's organization", async () => {
    expect((await list("?search=zed", other.apiKey)).body.meta.pagination).toMatchObject({ total: 0 });
  });
});

describe("GET /api/leads/{id}", () => {
  it("returns the lead with notes and events, newest first", async () => {
    const lead = await createTestLead(org, { name: "History" });
    await api("PATCH", "/api/leads", { key: org.apiKey, body: { id: lead.id, status: "qualified", note: "one" } });
    await api("PATCH", "/api/leads", { key: org.apiKey, body: { id: lead.id, status: "won", note: "two" } });
    const reply = await api("GET", `/api/leads/${lead.id}`, { key: org.apiKey });
    expect(reply.status).toBe(200);
    const data = reply.body.data as { status: string; notes: { body: string; author: { type: string; name: string } }[]; events: { type: string; actor: { name: string } }[] };
    expect(data.status).toBe("won");
    expect(data.notes.map((n) => n.body)).toEqual(["two", "one"]);
    expect(data.notes[0]?.author).toMatchObject({ type: "api_key", name: "Test key" });
    expect(data.events.map((e) => e.type)).toEqual(["updated", "updated", "created"]);
  });

  it("answers 404 for another organization's lead", async () => {
    const theirs = await createTestLead(other);
    const reply = await api("GET", `/api/leads/${theirs.id}`, { key: org.apiKey });
    expect(reply.status).toBe(404);
    expect(reply.body.error?.code).toBe("NOT_FOUND");
  });
});

describe("unsupported methods and paths", () => {
  it("answer 405 in the envelope with an Allow header", async () => {
    const reply = await api("DELETE", "/api/leads", { key: org.apiKey });
    expect(reply.status).toBe(405);
    expect(reply.body.error).toMatchObject({ code: "METHOD_NOT_ALLOWED", details: { allowed: ["GET", "POST", "PATCH"] } });
    expect(reply.headers.get("allow")).toBe("GET, POST, PATCH");
    const byId = await api("PATCH", "/api/leads/lead_x", { key: org.apiKey, body: { status: "won" } });
    expect(byId.status).toBe(405);
    expect(byId.body.error?.message).toMatch(/PATCH \/api\/leads/);
  });

  it("answer 404 in the envelope for an unknown API path", async () => {
    const reply = await api("GET", "/api/nothing-here", { key: org.apiKey });
    expect(reply.status).toBe(404);
    expect(reply.body.error?.code).toBe("NOT_FOUND");
    expect(reply.headers.get("x-request-id")).toBe(reply.body.meta.requestId);
  });
});
