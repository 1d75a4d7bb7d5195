import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { updateOrganizationSettings } from "@/lib/organizations/organizations";
import { api, patchLeads, signIn } from "../helpers/http";
import { createTestLead, createTestOrganization, leadHistory, leadRow, TEST_PASSWORD, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";

/** Match policy (onMultiple), dry runs, bulk updates at any size, the maximum, and GET ?requestId=. */

/** `count` leads sharing one e-mail, inserted with one statement (createLead per lead would take minutes). */
async function seedSharedEmail(org: TestOrganization, count: number): Promise<{ email: string; ids: string[] }> {
  const email = `shared-${uniqueSuffix()}@bulk.example`;
  const prefix = `lead_b${uniqueSuffix()}`;
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "currency", "value", "createdAt", "updatedAt")
    SELECT ${prefix} || lpad(i::text, 6, '0'), ${org.organizationId}, 'Bulk ' || i, ${email}, ${email}, 'USD', 100,
      timestamp '2026-01-01' + i * interval '1 second', now()
    FROM generate_series(1, ${count}::int) AS i`;
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(6, "0")}`);
  return { email, ids };
}

async function historyCounts(ids: string[]) {
  const [notes, events] = await Promise.all([
    prisma.leadNote.count({ where: { leadId: { in: ids } } }),
    prisma.leadEvent.count({ where: { leadId: { in: ids } } }),
  ]);
  return { notes, events };
}

let off: TestOrganization;
let on: TestOrganization;

beforeAll(async () => {
  [off, on] = await Promise.all([createTestOrganization(), createTestOrganization({ allowBulkUpdates: true })]);
});

describe("PATCH /api/leads: onMultiple", () => {
  it('"error" refuses several matches with 409 and the count even where bulk updates are allowed', async () => {
    const { email, ids } = await seedSharedEmail(on, 3);
    const reply = await patchLeads(on.apiKey, { email, status: "won", note: "no", onMultiple: "error" });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "CONFLICT", details: { matchCount: 3 } });
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 0 });
  });

  it('"error" still updates a single match', async () => {
    const lead = await createTestLead(on, { email: `single-${uniqueSuffix()}@example.com` });
    const reply = await patchLeads(on.apiKey, { email: lead.email, status: "qualified", onMultiple: "error" });
    expect(reply.status).toBe(200);
    expect((await leadRow(lead.id)).status).toBe("qualified");
  });

  it('"all" is 403 FORBIDDEN where the organization does not allow bulk updates, and writes nothing', async () => {
    const { email, ids } = await seedSharedEmail(off, 2);
    const reply = await patchLeads(off.apiKey, { email, status: "won", note: "no", onMultiple: "all" });
    expect(reply.status).toBe(403);
    expect(reply.body.error?.code).toBe("FORBIDDEN");
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 0 });
  });

  it('"all" updates every match where bulk updates are allowed', async () => {
    const { email, ids } = await seedSharedEmail(on, 4);
    const reply = await patchLeads(on.apiKey, { email, status: "won", onMultiple: "all" });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ leadsUpdated: 4, leadIds: ids });
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 4 });
  });

  it("refuses an unknown policy with 400", async () => {
    const reply = await patchLeads(on.apiKey, { email: "x@example.com", onMultiple: "first" });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.details).toMatchObject({ issues: [{ field: "onMultiple" }] });
  });
});

describe("PATCH /api/leads: dryRun", () => {
  it("answers the match count and each lead's changes before and after, and writes nothing", async () => {
    const lead = await createTestLead(on, { email: `dry-${uniqueSuffix()}@example.com`, value: "100" });
    const before = await leadRow(lead.id);
    const reply = await patchLeads(on.apiKey, { id: lead.id, status: "won", value: "250.5", note: "would be added", dryRun: true });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      dryRun: true,
      matchCount: 1,
      leadsUpdated: 0,
      wouldSucceed: true,
      error: null,
      truncated: false,
      leads: [
        {
          id: lead.id,
          changes: { status: { from: "open", to: "won" }, value: { from: 100, to: 250.5 } },
          note: "would be added",
          before: { status: "open", value: 100, version: lead.version },
          after: { status: "won", value: 250.5, version: lead.version + 1 },
        },
      ],
    });
    expect(await leadRow(lead.id)).toEqual(before);
    expect((await leadHistory(lead.id)).notes).toHaveLength(0);
  });

  it("reports the refusal the request would get, with its status and details, in a 200 reply", async () => {
    const { email, ids } = await seedSharedEmail(off, 2);
    const reply = await patchLeads(off.apiKey, { email, status: "won", dryRun: true });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      dryRun: true,
      matchCount: 2,
      wouldSucceed: false,
      error: { status: 409, code: "CONFLICT", details: { matchCount: 2 } },
    });
    expect((reply.body.data as { leads: unknown[] }).leads).toHaveLength(2);
    const forbidden = await patchLeads(off.apiKey, { email, status: "won", onMultiple: "all", dryRun: true });
    expect(forbidden.body.data).toMatchObject({ wouldSucceed: false, error: { status: 403, code: "FORBIDDEN" } });
    const none = await patchLeads(off.apiKey, { email: `nobody-${uniqueSuffix()}@example.com`, status: "won", dryRun: true });
    expect(none.body.data).toMatchObject({ matchCount: 0, wouldSucceed: false, error: { status: 404, code: "NOT_FOUND" }, leads: [] });
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 0 });
  });

  it("still refuses a malformed request with 400", async () => {
    const reply = await patchLeads(on.apiKey, { id: "lead_x", status: "closed", dryRun: true });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe("VALIDATION_ERROR");
  });
});

describe("PATCH /api/leads: bulk at any size", () => {
  it("updates 5,000 matches with a note: 5,000 notes, 5,000 events, a small reply, and ?requestId= lists them", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: true });
    const { email, ids } = await seedSharedEmail(org, 5_000);
    const requestId = `bulk-${uniqueSuffix()}-5000`;
    const reply = await api("PATCH", "/api/leads", {
      key: org.apiKey,
      body: { email, status: "qualified", value: 42, note: "Campaign closed" },
      headers: { "X-Request-Id": requestId },
    });
    expect(reply.status).toBe(200);
    const data = reply.body.data as { leadId: string; leadsUpdated: number; leadIds: string[]; leads: { id: string; status: string }[]; truncated: boolean; message: string };
    expect(data.leadsUpdated).toBe(5_000);
    expect(data.leadId).toBe(ids[0]);
    expect(data.leadIds).toEqual(ids.slice(0, 100));
    expect(data.leads).toHaveLength(100);
    expect(data.leads.every((l) => l.status === "qualified")).toBe(true);
    expect(data.truncated).toBe(true);
    expect(JSON.stringify(reply.body).length).toBeLessThan(100_000);

    expect(await historyCounts(ids)).toEqual({ notes: 5_000, events: 5_000 });
    expect(await prisma.lead.count({ where: { id: { in: ids }, status: "qualified", value: 42 } })).toBe(5_000);

    const listed = await api("GET", `/api/leads?requestId=${requestId}&limit=100`, { key: org.apiKey });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(100);
    expect(listed.body.meta.pagination).toMatchObject({ total: 5_000 });
    const last = await api("GET", `/api/leads?requestId=${requestId}&limit=100&page=50`, { key: org.apiKey });
    expect(last.body.data).toHaveLength(100);
  });

  it("lists only what one request changed, and nothing for another organization's key", async () => {
    const a = await createTestLead(on);
    await createTestLead(on);
    const requestId = `one-${uniqueSuffix()}-lead`;
    await api("PATCH", "/api/leads", { key: on.apiKey, body: { id: a.id, note: "only this one" }, headers: { "X-Request-Id": requestId } });
    const listed = await api("GET", `/api/leads?requestId=${requestId}`, { key: on.apiKey });
    expect((listed.body.data as { id: string }[]).map((l) => l.id)).toEqual([a.id]);
    const elsewhere = await api("GET", `/api/leads?requestId=${requestId}`, { key: off.apiKey });
    expect(elsewhere.body.data).toEqual([]);
  });

  it("refuses a match over the organization's maximum with 409, the count and the maximum, and writes nothing", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: true });
    await updateOrganizationSettings(org.organizationId, { maxBulkMatches: 50 }, null);
    const { email, ids } = await seedSharedEmail(org, 51);
    const reply = await patchLeads(org.apiKey, { email, status: "won", note: "too many" });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "CONFLICT", details: { matchCount: 51, maxBulkMatches: 50 } });
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 0 });
    expect(await prisma.lead.count({ where: { id: { in: ids }, status: "open" } })).toBe(51);

    const dry = await patchLeads(org.apiKey, { email, status: "won", dryRun: true });
    expect(dry.body.data).toMatchObject({ matchCount: 51, wouldSucceed: false, error: { status: 409, details: { matchCount: 51, maxBulkMatches: 50 } } });

    const atMaximum = await seedSharedEmail(org, 50);
    expect((await patchLeads(org.apiKey, { email: atMaximum.email, status: "won" })).status).toBe(200);
  });

  it("leaves every lead as it was when a failure hits the middle of a bulk update", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: true });
    const { email, ids } = await seedSharedEmail(org, 1_000);
    const name = `test_fail_${uniqueSuffix()}`;
    const middle = ids[500]!;
    // A trigger made by this test (no hook in the app): the 501st lead's event insert fails.
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER "${name}" BEFORE INSERT ON "LeadEvent" FOR EACH ROW WHEN (NEW."leadId" = '${middle}') EXECUTE FUNCTION "${name}"()`,
    );
    try {
      const reply = await patchLeads(org.apiKey, { email, status: "won", value: 7, note: "must not land" });
      expect(reply.status).toBe(500);
      expect(reply.body.error?.code).toBe("INTERNAL_ERROR");
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER "${name}" ON "LeadEvent"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION "${name}"()`);
    }
    expect(await historyCounts(ids)).toEqual({ notes: 0, events: 0 });
    expect(await prisma.lead.count({ where: { id: { in: ids }, status: "open", value: 100, version: 1 } })).toBe(1_000);
  });
});

describe("Settings: maximum leads per bulk update", () => {
  it("defaults to 10,000", async () => {
    const organization = await prisma.organization.findUniqueOrThrow({ where: { id: off.organizationId } });
    expect(organization.maxBulkMatches).toBe(10_000);
  });

  it("is changed by an admin, validated, and applies to the next request", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: true });
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    const { email } = await seedSharedEmail(org, 3);
    const read = await api("GET", "/api/settings/organization", { cookie });
    expect(read.body.data).toMatchObject({ maxBulkMatches: 10_000 });
    const saved = await api("PATCH", "/api/settings/organization", { cookie, body: { maxBulkMatches: 2 } });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ maxBulkMatches: 2, allowBulkUpdates: true });
    expect((await patchLeads(org.apiKey, { email, status: "won" })).body.error).toMatchObject({ details: { matchCount: 3, maxBulkMatches: 2 } });
    for (const maxBulkMatches of [0, 1, 2.5, "many", 1_000_001]) {
      expect((await api("PATCH", "/api/settings/organization", { cookie, body: { maxBulkMatches } })).status).toBe(400);
    }
  });
});
