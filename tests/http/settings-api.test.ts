import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { LAST_ADMIN_MESSAGE, createUser } from "@/lib/users/users";
import { api, patchLeads, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";

/** The admin actions, called directly over HTTP as a browser session would. */

let org: TestOrganization;
let adminCookie: string;
let salesCookie: string;
let salesUserId: string;

async function addUser(o: TestOrganization, role: "admin" | "sales") {
  const email = `${role}-${uniqueSuffix()}@example.com`;
  const user = await createUser(o.organizationId, { name: `${role} user`, email, password: TEST_PASSWORD, role });
  return { ...user, email };
}

beforeAll(async () => {
  org = await createTestOrganization();
  const sales = await addUser(org, "sales");
  salesUserId = sales.id;
  adminCookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
  salesCookie = (await signIn(sales.email, TEST_PASSWORD))!;
  expect(adminCookie).toBeTruthy();
  expect(salesCookie).toBeTruthy();
});

const ADMIN_CALLS = (keyId: string, userId: string): [string, string, unknown][] => [
  ["GET", "/api/settings/organization", undefined],
  ["PATCH", "/api/settings/organization", { allowBulkUpdates: true }],
  ["GET", "/api/settings/api-keys", undefined],
  ["POST", "/api/settings/api-keys", { name: "sneaky" }],
  ["POST", `/api/settings/api-keys/${keyId}/revoke`, undefined],
  ["GET", "/api/settings/users", undefined],
  ["POST", "/api/settings/users", { name: "X", email: `x-${uniqueSuffix()}@example.com`, password: TEST_PASSWORD, role: "admin" }],
  ["PATCH", `/api/settings/users/${userId}`, { role: "admin" }],
];

describe("admin routes: who may call them", () => {
  it("answer 403 FORBIDDEN in the API envelope to a salesperson, and change nothing", async () => {
    for (const [method, path, body] of ADMIN_CALLS(org.apiKeyId, salesUserId)) {
      const reply = await api(method, path, { cookie: salesCookie, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.body).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
    }
    const organization = await prisma.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    expect(organization.allowBulkUpdates).toBe(false);
    expect(await prisma.apiKey.count({ where: { organizationId: org.organizationId } })).toBe(1);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: org.apiKeyId } })).revokedAt).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: salesUserId } })).role).toBe("sales");
  });

  it("answer 401 without a session, and ignore API keys", async () => {
    for (const [method, path, body] of ADMIN_CALLS(org.apiKeyId, salesUserId)) {
      expect((await api(method, path, { body })).status, `${method} ${path}`).toBe(401);
      expect((await api(method, path, { body, key: org.apiKey })).status, `${method} ${path} with a key`).toBe(401);
    }
  });

  it("answer 404 to an admin of another organization", async () => {
    const other = await createTestOrganization();
    const otherCookie = (await signIn(other.userEmail, TEST_PASSWORD))!;
    expect((await api("POST", `/api/settings/api-keys/${org.apiKeyId}/revoke`, { cookie: otherCookie })).status).toBe(404);
    expect((await api("PATCH", `/api/settings/users/${salesUserId}`, { cookie: otherCookie, body: { active: false } })).status).toBe(404);
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: org.apiKeyId } })).revokedAt).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: salesUserId } })).deactivatedAt).toBeNull();
  });
});

describe("organization settings", () => {
  it("switch bulk updates, and record who changed them and when", async () => {
    const a = await createTestLead(org, { email: `shared-${uniqueSuffix()}@example.com` });
    await createTestLead(org, { email: a.email! });
    expect((await patchLeads(org.apiKey, { email: a.email, status: "won" })).status).toBe(409);

    const on = await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body: { allowBulkUpdates: true } });
    expect(on.status).toBe(200);
    expect(on.body.data).toMatchObject({ allowBulkUpdates: true, settingsUpdatedBy: { id: org.userId, name: org.userName } });
    expect(Date.now() - Date.parse((on.body.data as { settingsUpdatedAt: string }).settingsUpdatedAt)).toBeLessThan(60_000);
    expect((await patchLeads(org.apiKey, { email: a.email, status: "won" })).body.data).toMatchObject({ leadsUpdated: 2 });

    await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body: { allowBulkUpdates: false } });
    expect((await patchLeads(org.apiKey, { email: a.email, status: "lost" })).status).toBe(409);
  });

  it("validate the phone country and the currency", async () => {
    const ok = await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body: { defaultPhoneCountry: "gb", currency: "eur" } });
    expect(ok.body.data).toMatchObject({ defaultPhoneCountry: "GB", currency: "EUR" });
    for (const body of [{ defaultPhoneCountry: "XX" }, { currency: "EURO" }, { currency: "ABC" }, { allowBulkUpdates: "yes" }]) {
      const reply = await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
    }
    await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body: { defaultPhoneCountry: "US", currency: "USD" } });
  });
});

describe("API keys", () => {
  it("are shown in full once, work, and fail on the very next request after revocation", async () => {
    const created = await api("POST", "/api/settings/api-keys", { cookie: adminCookie, body: { name: "Call tracker" } });
    expect(created.status).toBe(201);
    const { apiKey, key } = created.body.data as { apiKey: { id: string; suffix: string; createdBy: { name: string } }; key: string };
    expect(key).toMatch(/^ll_/);
    expect(apiKey).toMatchObject({ suffix: key.slice(-4), createdBy: { name: org.userName } });

    const listed = await api("GET", "/api/settings/api-keys", { cookie: adminCookie });
    expect(JSON.stringify(listed.body.data)).not.toContain(key);

    const lead = await createTestLead(org);
    expect((await patchLeads(key, { id: lead.id, note: "from the tracker" })).status).toBe(200);
    expect((await api("POST", `/api/settings/api-keys/${apiKey.id}/revoke`, { cookie: adminCookie })).status).toBe(200);
    expect((await patchLeads(key, { id: lead.id, note: "too late" })).status).toBe(401);
    expect((await api("POST", `/api/settings/api-keys/${apiKey.id}/revoke`, { cookie: adminCookie })).status).toBe(409);
  });

  it("need a name", async () => {
    expect((await api("POST", "/api/settings/api-keys", { cookie: adminCookie, body: { name: "  " } })).status).toBe(400);
  });
});

describe("users", () => {
  it("can be added, and a deactivated user loses their sessions and cannot sign in", async () => {
    const email = `new-${uniqueSuffix()}@example.com`;
    const created = await api("POST", "/api/settings/users", { cookie: adminCookie, body: { name: "New Seller", email, password: TEST_PASSWORD, role: "sales" } });
    expect(created.status).toBe(201);
    const user = created.body.data as { id: string; role: string; active: boolean };
    expect(user).toMatchObject({ role: "sales", active: true });

    const cookie = (await signIn(email, TEST_PASSWORD))!;
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(200);

    const off = await api("PATCH", `/api/settings/users/${user.id}`, { cookie: adminCookie, body: { active: false } });
    expect(off.body.data).toMatchObject({ active: false });
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(401);
    expect(await signIn(email, TEST_PASSWORD)).toBeNull();

    await api("PATCH", `/api/settings/users/${user.id}`, { cookie: adminCookie, body: { active: true } });
    expect(await signIn(email, TEST_PASSWORD)).not.toBeNull();
  });

  it("refuse a duplicate e-mail and a short password", async () => {
    expect((await api("POST", "/api/settings/users", { cookie: adminCookie, body: { name: "Dup", email: org.userEmail, password: TEST_PASSWORD, role: "sales" } })).status).toBe(409);
    expect((await api("POST", "/api/settings/users", { cookie: adminCookie, body: { name: "Short", email: `s-${uniqueSuffix()}@example.com`, password: "short", role: "sales" } })).status).toBe(400);
  });

  it("keep the last active admin, and say why", async () => {
    const reply = await api("PATCH", `/api/settings/users/${org.userId}`, { cookie: adminCookie, body: { role: "sales" } });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "CONFLICT", message: LAST_ADMIN_MESSAGE });
  });

  it("take a role change into account on the next request", async () => {
    const promoted = await addUser(org, "sales");
    const cookie = (await signIn(promoted.email, TEST_PASSWORD))!;
    expect((await api("GET", "/api/settings/users", { cookie })).status).toBe(403);
    await api("PATCH", `/api/settings/users/${promoted.id}`, { cookie: adminCookie, body: { role: "admin" } });
    expect((await api("GET", "/api/settings/users", { cookie })).status).toBe(200);
  });
});
