import { beforeAll, describe, expect, it } from "vitest";
import { api, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/** GET /api/app/leads: the list the app's pages fetch with the session. */

let org: TestOrganization;
let cookie: string;

beforeAll(async () => {
  org = await createTestOrganization();
  await createTestLead(org, { name: "Won A", status: "won", value: "100.25" });
  await createTestLead(org, { name: "Won B", status: "won", value: "200.50" });
  await createTestLead(org, { name: "Won C", status: "won" });
  await createTestLead(org, { name: "Open D", value: "1000" });
  cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
});

describe("GET /api/app/leads", () => {
  it("pages the filtered leads; the total value of every lead the filter matches comes from /summary", async () => {
    const reply = await api("GET", "/api/app/leads?status=won&limit=1", { cookie });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      currency: "USD",
      pagination: { total: 3, totalIsEstimate: false, limit: 1, totalPages: 3, hasMore: true, nextCursor: expect.any(String) },
    });
    const summary = await api("GET", "/api/app/leads/summary?status=won", { cookie });
    expect(summary.body.data).toEqual({ totalValue: 300.75, currency: "USD" });
    const all = await api("GET", "/api/app/leads/summary", { cookie });
    expect(all.body.data).toEqual({ totalValue: 1300.75, currency: "USD" });
  });

  it("needs a session, not an API key", async () => {
    expect((await api("GET", "/api/app/leads")).status).toBe(401);
    expect((await api("GET", "/api/app/leads", { key: org.apiKey })).status).toBe(401);
    expect((await api("GET", "/api/app/leads/summary")).status).toBe(401);
  });
});
