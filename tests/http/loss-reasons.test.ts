import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/users";
import { api, patchLeads, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, leadRow, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";

/** Managed loss reasons: the admin routes, and how the API's free-text lossReason links to them. */

interface Reason {
  id: string;
  name: string;
  position: number;
  archived: boolean;
}

let org: TestOrganization;
let adminCookie: string;
let salesCookie: string;

const add = async (name: string) => {
  const reply = await api("POST", "/api/settings/loss-reasons", { cookie: adminCookie, body: { name } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.data as Reason;
};
const list = async () => (await api("GET", "/api/settings/loss-reasons", { cookie: adminCookie })).body.data as Reason[];

beforeAll(async () => {
  org = await createTestOrganization();
  const email = `sales-${uniqueSuffix()}@example.com`;
  await createUser(org.organizationId, { name: "Sales", email, password: TEST_PASSWORD, role: "sales" });
  adminCookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
  salesCookie = (await signIn(email, TEST_PASSWORD))!;
});

describe("loss reason settings", () => {
  it("are for admins only", async () => {
    for (const [method, path, body] of [
      ["GET", "/api/settings/loss-reasons", undefined],
      ["POST", "/api/settings/loss-reasons", { name: "Nope" }],
      ["PATCH", "/api/settings/loss-reasons/lr_x", { name: "Nope" }],
      ["PUT", "/api/settings/loss-reasons/order", { ids: ["lr_x"] }],
    ] as const) {
      const reply = await api(method, path, { cookie: salesCookie, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
    }
    expect((await api("GET", "/api/settings/loss-reasons")).status).toBe(401);
  });

  it("adds at the end, refuses duplicates (any case) and the reserved name Other", async () => {
    const a = await add("Too pricey");
    const b = await add("  Went dark  ");
    expect(b).toMatchObject({ name: "Went dark", archived: false });
    expect(b.position).toBeGreaterThan(a.position);
    for (const name of ["too PRICEY", "other", ""]) {
      const reply = await api("POST", "/api/settings/loss-reasons", { cookie: adminCookie, body: { name } });
      expect(reply.status, name).toBe(400);
      expect(reply.body.error?.code).toBe("VALIDATION_ERROR");
    }
  });

  it("reorders only with the full list, and archives and restores", async () => {
    const before = await list();
    const reversed = [...before].reverse().map((r) => r.id);
    expect((await api("PUT", "/api/settings/loss-reasons/order", { cookie: adminCookie, body: { ids: reversed.slice(1) } })).status).toBe(400);
    const reply = await api("PUT", "/api/settings/loss-reasons/order", { cookie: adminCookie, body: { ids: reversed } });
    expect(reply.status).toBe(200);
    expect((await list()).map((r) => r.id)).toEqual(reversed);

    const target = before[0]!;
    const archived = await api("PATCH", `/api/settings/loss-reasons/${target.id}`, { cookie: adminCookie, body: { archived: true } });
    expect(archived.body.data).toMatchObject({ id: target.id, archived: true });
    const restored = await api("PATCH", `/api/settings/loss-reasons/${target.id}`, { cookie: adminCookie, body: { archived: false } });
    expect(restored.body.data).toMatchObject({ id: target.id, archived: false });
    expect((await api("PATCH", "/api/settings/loss-reasons/lr_missing", { cookie: adminCookie, body: { archived: true } })).status).toBe(404);
  });

  it("links an API loss reason by name (trimmed, any case), keeps other text as Other, and renaming rewrites no lead", async () => {
    const reason = await add(`Budget frozen ${uniqueSuffix()}`);
    const linked = await createTestLead(org, { name: "Linked" });
    const reply = await patchLeads(org.apiKey, { id: linked.id, status: "lost", lossReason: `  ${reason.name.toUpperCase()} ` });
    expect(reply.status).toBe(200);
    const read = await api("GET", `/api/leads/${linked.id}`, { key: org.apiKey });
    expect(read.body.data).toMatchObject({ lossReason: reason.name.toUpperCase(), lossReasonId: reason.id });

    const other = await createTestLead(org, { name: "Other" });
    await patchLeads(org.apiKey, { id: other.id, status: "lost", lossReason: "Moved to Mars" });
    expect((await api("GET", `/api/leads/${other.id}`, { key: org.apiKey })).body.data).toMatchObject({ lossReason: "Moved to Mars", lossReasonId: null });

    // POST links too.
    const created = await api("POST", "/api/leads", { key: org.apiKey, body: { name: "Born lost", status: "lost", lossReason: reason.name } });
    expect(created.body.data).toMatchObject({ lossReasonId: reason.id });

    const renamed = await api("PATCH", `/api/settings/loss-reasons/${reason.id}`, { cookie: adminCookie, body: { name: `${reason.name} (renamed)` } });
    expect(renamed.status).toBe(200);
    expect(await leadRow(linked.id)).toMatchObject({ lossReason: reason.name.toUpperCase(), lossReasonId: reason.id });

    // Leaving lost clears both the text and the link.
    expect((await patchLeads(org.apiKey, { id: linked.id, status: "qualified" })).status).toBe(200);
    expect(await leadRow(linked.id)).toMatchObject({ lossReason: null, lossReasonId: null });
  });
});
