import { beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "@/lib/api-keys/api-keys";
import { prisma } from "@/lib/db/client";
import { api, patchLeads } from "../helpers/http";
import { createTestLead, createTestOrganization, leadHistory, leadRow, type TestOrganization } from "../helpers/fixtures";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function expectErrorEnvelope(reply: Awaited<ReturnType<typeof api>>, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.body.success).toBe(false);
  expect(reply.body.error?.code).toBe(code);
  expect(typeof reply.body.error?.message).toBe("string");
  expect(reply.body.error).toHaveProperty("details");
  expect(reply.body.meta.requestId).toBeTruthy();
  expect(reply.body.meta.timestamp).toMatch(ISO);
  expect(reply.headers.get("x-request-id")).toBe(reply.body.meta.requestId);
}

let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
});

describe("PATCH /api/leads: authentication", () => {
  it("refuses a missing key with 401", async () => {
    expectErrorEnvelope(await api("PATCH", "/api/leads", { body: { id: "x" } }), 401, "UNAUTHORIZED");
  });

  it("refuses an unknown key with 401", async () => {
    expectErrorEnvelope(await patchLeads("ll_notarealkey000000000000000000000000000", { id: "x" }), 401, "UNAUTHORIZED");
  });

  it("accepts Authorization: Bearer", async () => {
    const lead = await createTestLead(org);
    const reply = await api("PATCH", "/api/leads", { headers: { Authorization: `Bearer ${org.apiKey}` }, body: { id: lead.id, status: "qualified" } });
    expect(reply.status).toBe(200);
  });

  it("refuses a revoked key on its very next request", async () => {
    const scratch = await createTestOrganization();
    const lead = await createTestLead(scratch);
    expect((await patchLeads(scratch.apiKey, { id: lead.id, note: "before" })).status).toBe(200);
    await revokeApiKey(scratch.organizationId, { id: scratch.apiKeyId });
    expectErrorEnvelope(await patchLeads(scratch.apiKey, { id: lead.id, note: "after" }), 401, "UNAUTHORIZED");
    expect((await leadHistory(lead.id)).notes.map((n) => n.body)).toEqual(["before"]);
  });

  it("acts only within the key's organization: another organization's lead is not found", async () => {
    const theirs = await createTestLead(other, { email: "shared-across-orgs@example.com" });
    expectErrorEnvelope(await patchLeads(org.apiKey, { id: theirs.id, status: "won" }), 404, "NOT_FOUND");
    expectErrorEnvelope(await patchLeads(org.apiKey, { email: "shared-across-orgs@example.com", status: "won" }), 404, "NOT_FOUND");
    expect((await leadRow(theirs.id)).status).toBe("open");
  });
});

describe("PATCH /api/leads: body", () => {
  it("refuses invalid JSON with 400", async () => {
    expectErrorEnvelope(await api("PATCH", "/api/leads", { key: org.apiKey, rawBody: "{not json" }), 400, "VALIDATION_ERROR");
  });

  it.each([["[1,2]"], ["null"], ["42"], ['"text"'], [""]])("refuses the non-object body %j with 400", async (raw) => {
    expectErrorEnvelope(await api("PATCH", "/api/leads", { key: org.apiKey, rawBody: raw }), 400, "VALIDATION_ERROR");
  });

  it("ignores unknown fields and never writes them", async () => {
    const lead = await createTestLead(org, { email: "unknown-fields@example.com" });
    const reply = await patchLeads(org.apiKey, {
      id: lead.id,
      status: "qualified",
      organizationId: other.organizationId,
      emailNormalized: "hijack@example.com",
      version: 999,
      currency: "EUR",
    });
    expect(reply.status).toBe(200);
    const row = await leadRow(lead.id);
    expect(row).toMatchObject({ organizationId: org.organizationId, emailNormalized: "unknown-fields@example.com", currency: "USD", status: "qualified" });
    expect(row.version).toBe(lead.version + 1);
  });

  it("refuses a body over 1 MB in the same envelope", async () => {
    const reply = await api("PATCH", "/api/leads", { key: org.apiKey, body: { id: "x", note: "a".repeat(1024 * 1024) } });
    expectErrorEnvelope(reply, 413, "PAYLOAD_TOO_LARGE");
  });
});

describe("PATCH /api/leads: identifiers", () => {
  it("needs at least one identifier; blank strings count as absent", async () => {
    expectErrorEnvelope(await patchLeads(org.apiKey, { status: "won" }), 400, "VALIDATION_ERROR");
    const blank = await patchLeads(org.apiKey, { id: "", email: "  ", phone: "", status: "won" });
    expectErrorEnvelope(blank, 400, "VALIDATION_ERROR");
    expect(blank.body.error?.message).toMatch(/id, email or phone/);
  });

  it("matches by id first, ignoring a lower-priority e-mail", async () => {
    const a = await createTestLead(org, { email: "priority-a@example.com" });
    const b = await createTestLead(org, { email: "priority-b@example.com" });
    const reply = await patchLeads(org.apiKey, { id: a.id, email: "priority-b@example.com", status: "won" });
    expect(reply.status).toBe(200);
    expect((await leadRow(a.id)).status).toBe("won");
    expect((await leadRow(b.id)).status).toBe("open");
  });

  it("never falls back to a lower-priority identifier", async () => {
    const lead = await createTestLead(org, { phone: "+1 415 555 0199" });
    expectErrorEnvelope(await patchLeads(org.apiKey, { email: "nobody-here@example.com", phone: "+14155550199", status: "won" }), 404, "NOT_FOUND");
    expectErrorEnvelope(await patchLeads(org.apiKey, { id: "lead_doesnotexist", phone: "+14155550199", status: "won" }), 404, "NOT_FOUND");
    expect((await leadRow(lead.id)).status).toBe("open");
  });

  it("matches e-mail case-insensitively after trimming", async () => {
    const lead = await createTestLead(org, { email: "Mixed.Case@Example.com" });
    const reply = await patchLeads(org.apiKey, { email: "  MIXED.case@example.COM ", status: "qualified" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ leadId: lead.id });
  });

  it("matches phones on their E.164 form", async () => {
    const lead = await createTestLead(org, { phone: "+1234567890" });
    const reply = await patchLeads(org.apiKey, { phone: "+1 (234) 567-890", note: "same phone" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ leadId: lead.id });
  });

  it("uses the organization's default country for national phone numbers", async () => {
    const uk = await createTestOrganization({ defaultPhoneCountry: "GB" });
    const lead = await createTestLead(uk, { phone: "+44 20 7946 0018" });
    const reply = await patchLeads(uk.apiKey, { phone: "020 7946 0018", status: "won" });
    expect(reply.body.data).toMatchObject({ leadId: lead.id });
  });

  it("refuses a malformed e-mail and an unparseable phone with 400", async () => {
    expectErrorEnvelope(await patchLeads(org.apiKey, { email: "not-an-email", status: "won" }), 400, "VALIDATION_ERROR");
    expectErrorEnvelope(await patchLeads(org.apiKey, { phone: "call me", status: "won" }), 400, "VALIDATION_ERROR");
    expectErrorEnvelope(await patchLeads(org.apiKey, { phone: "12", status: "won" }), 400, "VALIDATION_ERROR");
  });

  it("answers 404 when nothing matches", async () => {
    expectErrorEnvelope(await patchLeads(org.apiKey, { id: "lead_nope", status: "won" }), 404, "NOT_FOUND");
  });
});

describe("PATCH /api/leads: status", () => {
  it("accepts upper case and the changedTo alias; status wins over changedTo", async () => {
    const lead = await createTestLead(org);
    expect((await patchLeads(org.apiKey, { id: lead.id, status: "QUALIFIED" })).body.data).toMatchObject({ leads: [{ status: "qualified" }] });
    expect((await patchLeads(org.apiKey, { id: lead.id, changedTo: "won" })).body.data).toMatchObject({ leads: [{ status: "won" }] });
    expect((await patchLeads(org.apiKey, { id: lead.id, status: "lost", changedTo: "won" })).body.data).toMatchObject({ leads: [{ status: "lost" }] });
  });

  it("refuses other values with the allowed values in details", async () => {
    const lead = await createTestLead(org);
    const reply = await patchLeads(org.apiKey, { id: lead.id, status: "closed" });
    expectErrorEnvelope(reply, 400, "VALIDATION_ERROR");
    expect(reply.body.error?.details).toEqual({
      issues: [{ field: "status", message: "must be one of: qualified, won, lost", allowed: ["qualified", "won", "lost"] }],
    });
    const alias = await patchLeads(org.apiKey, { id: lead.id, changedTo: "open" });
    expect(alias.body.error?.details).toMatchObject({ issues: [{ field: "changedTo", allowed: ["qualified", "won", "lost"] }] });
    expect((await leadRow(lead.id)).status).toBe("open");
  });

  it("records when a lead last entered each status; straight to won also qualifies", async () => {
    const lead = await createTestLead(org);
    await patchLeads(org.apiKey, { id: lead.id, status: "won" });
    const won = await leadRow(lead.id);
    expect(won.wonAt).not.toBeNull();
    expect(won.qualifiedAt).toEqual(won.wonAt);
    await patchLeads(org.apiKey, { id: lead.id, status: "lost" });
    await patchLeads(org.apiKey, { id: lead.id, status: "won" });
    const again = await leadRow(lead.id);
    expect(again.wonAt!.getTime()).toBeGreaterThan(won.wonAt!.getTime());
    expect(again.qualifiedAt).toEqual(won.qualifiedAt);
    expect(again.lostAt).not.toBeNull();
  });
});

describe("PATCH /api/leads: value", () => {
  it.each([
    [5000, 5000],
    ["5000", 5000],
    [" 5000.50 ", 5000.5],
    [10.555, 10.56],
    ["999999999999.99", 999999999999.99],
  ])("stores %j as %s", async (input, expected) => {
    const lead = await createTestLead(org);
    const reply = await patchLeads(org.apiKey, { id: lead.id, value: input });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ leads: [{ value: expected }] });
    expect((await leadRow(lead.id)).value?.toString()).toBe(String(expected));
  });

  it("clears the value with null", async () => {
    const lead = await createTestLead(org, { value: "100.00" });
    const reply = await patchLeads(org.apiKey, { id: lead.id, value: null });
    expect(reply.body.data).toMatchObject({ leads: [{ value: null }] });
    expect((await leadRow(lead.id)).value).toBeNull();
  });

  it.each([["abc"], [""], [-1], ["-5"], ["5,000"], ["1.000,50"], ["NaN"], ["Infinity"], [1e12], ["1000000000000.00"], [true]])(
    "refuses %j with 400 and writes nothing",
    async (input) => {
      const lead = await createTestLead(org, { value: "7.00" });
      expectErrorEnvelope(await patchLeads(org.apiKey, { id: lead.id, value: input, note: "must not be saved" }), 400, "VALIDATION_ERROR");
      expect((await leadRow(lead.id)).value?.toString()).toBe("7");
      expect((await leadHistory(lead.id)).notes).toHaveLength(0);
    },
  );
});

describe("PATCH /api/leads: note and loss reason", () => {
  it("appends a trimmed note by the calling key and never replaces earlier ones", async () => {
    const lead = await createTestLead(org);
    await patchLeads(org.apiKey, { id: lead.id, note: "  first  " });
    await patchLeads(org.apiKey, { id: lead.id, note: "second" });
    const { notes, events } = await leadHistory(lead.id);
    expect(notes.map((n) => n.body)).toEqual(["first", "second"]);
    expect(notes.every((n) => n.authorApiKeyId === org.apiKeyId && n.authorUserId === null)).toBe(true);
    expect(events.filter((e) => e.type === "updated")).toHaveLength(2);
  });

  it("ignores an empty note and refuses one over 10,000 characters", async () => {
    const lead = await createTestLead(org);
    expect((await patchLeads(org.apiKey, { id: lead.id, note: "   " })).status).toBe(200);
    expectErrorEnvelope(await patchLeads(org.apiKey, { id: lead.id, note: "x".repeat(10_001) }), 400, "VALIDATION_ERROR");
    expect((await leadHistory(lead.id)).notes).toHaveLength(0);
  });

  it("stores a loss reason only when the resulting status is lost", async () => {
    const lead = await createTestLead(org);
    await patchLeads(org.apiKey, { id: lead.id, status: "qualified", lossReason: "ignored" });
    expect((await leadRow(lead.id)).lossReason).toBeNull();
    await patchLeads(org.apiKey, { id: lead.id, status: "lost", lossReason: "Chose a competitor" });
    expect((await leadRow(lead.id)).lossReason).toBe("Chose a competitor");
  });

  it("refuses a loss reason over 500 characters", async () => {
    const lead = await createTestLead(org);
    expectErrorEnvelope(await patchLeads(org.apiKey, { id: lead.id, status: "lost", lossReason: "r".repeat(501) }), 400, "VALIDATION_ERROR");
  });

  it("clears the loss reason when the lead leaves lost; the event keeps the old one", async () => {
    const lead = await createTestLead(org);
    await patchLeads(org.apiKey, { id: lead.id, status: "lost", lossReason: "No budget" });
    await patchLeads(org.apiKey, { id: lead.id, status: "qualified" });
    expect((await leadRow(lead.id)).lossReason).toBeNull();
    const last = (await leadHistory(lead.id)).events.at(-1);
    expect(last?.changes).toEqual({ status: { from: "lost", to: "qualified" }, lossReason: { from: "No budget", to: null } });
  });
});

describe("PATCH /api/leads: several matches", () => {
  it("answers 409 with the match count and writes nothing when bulk updates are off", async () => {
    const a = await createTestLead(org, { email: "dupe-off@example.com" });
    const b = await createTestLead(org, { email: "DUPE-OFF@example.com" });
    const reply = await patchLeads(org.apiKey, { email: "dupe-off@example.com", status: "won", note: "should not land" });
    expectErrorEnvelope(reply, 409, "CONFLICT");
    expect(reply.body.error?.details).toEqual({ matchCount: 2 });
    for (const lead of [a, b]) {
      expect((await leadRow(lead.id)).status).toBe("open");
      const history = await leadHistory(lead.id);
      expect(history.notes).toHaveLength(0);
      expect(history.events.map((e) => e.type)).toEqual(["created"]);
    }
  });

  it("updates every match atomically when bulk updates are on", async () => {
    const bulk = await createTestOrganization({ allowBulkUpdates: true });
    const a = await createTestLead(bulk, { phone: "+1 312 555 0101" });
    const b = await createTestLead(bulk, { phone: "(312) 555-0101" });
    const c = await createTestLead(bulk, { phone: "+1 312 555 0102" });
    const reply = await patchLeads(bulk.apiKey, { phone: "312-555-0101", status: "won", value: 10, note: "bulk" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ leadsUpdated: 2, leadId: a.id, leadIds: [a.id, b.id] });
    for (const lead of [a, b]) {
      expect((await leadRow(lead.id)).status).toBe("won");
      expect((await leadHistory(lead.id)).notes.map((n) => n.body)).toEqual(["bulk"]);
    }
    expect((await leadRow(c.id)).status).toBe("open");
  });
});

describe("PATCH /api/leads: replies", () => {
  it("answers 200 in the documented shape", async () => {
    const lead = await createTestLead(org, { name: "Shape Test", email: "shape@example.com" });
    const reply = await patchLeads(org.apiKey, { email: "shape@example.com", status: "won", value: "1234.5" });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      success: true,
      data: {
        leadId: lead.id,
        leadsUpdated: 1,
        leadIds: [lead.id],
        leads: [expect.objectContaining({ id: lead.id, name: "Shape Test", status: "won", value: 1234.5, currency: "USD" })],
        message: expect.any(String),
      },
      meta: { requestId: expect.any(String), timestamp: expect.stringMatching(ISO) },
    });
    expect(reply.headers.get("x-request-id")).toBe(reply.body.meta.requestId);
  });

  it("keeps a sane client-supplied X-Request-Id and records it in the event", async () => {
    const lead = await createTestLead(org);
    const requestId = "zapier-run-12345678";
    const reply = await api("PATCH", "/api/leads", { key: org.apiKey, body: { id: lead.id, note: "traced" }, headers: { "X-Request-Id": requestId } });
    expect(reply.headers.get("x-request-id")).toBe(requestId);
    expect((await leadHistory(lead.id)).events.at(-1)?.requestId).toBe(requestId);
  });

  it("writes one event per changed lead with before and after, the key as actor and api as source", async () => {
    const lead = await createTestLead(org, { value: "100" });
    await patchLeads(org.apiKey, { id: lead.id, status: "qualified", value: 250, note: "called" });
    const event = (await leadHistory(lead.id)).events.at(-1);
    expect(event).toMatchObject({
      type: "updated",
      changes: { status: { from: "open", to: "qualified" }, value: { from: 100, to: 250 } },
      actorType: "api_key",
      actorApiKeyId: org.apiKeyId,
      actorName: "Test key",
      source: "api",
    });
    expect(event?.noteId).not.toBeNull();
  });
});

describe("PATCH /api/leads: concurrency", () => {
  it("keeps all 50 notes and 50 events of 50 concurrent PATCHes to one lead", async () => {
    const lead = await createTestLead(org);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => patchLeads(org.apiKey, { id: lead.id, note: `concurrent note ${i}` })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    const notes = await prisma.leadNote.findMany({ where: { leadId: lead.id } });
    const events = await prisma.leadEvent.findMany({ where: { leadId: lead.id, type: "updated" } });
    expect(notes).toHaveLength(50);
    expect(new Set(notes.map((n) => n.body)).size).toBe(50);
    expect(events).toHaveLength(50);
  });
});
