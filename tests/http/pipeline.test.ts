import { beforeAll, describe, expect, it } from "vitest";
import type { LeadDto } from "@/lib/leads/serialize";
import type { PipelineBoard } from "@/lib/pipeline/pipeline";
import { api, patchLeads, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, leadHistory, type TestOrganization } from "../helpers/fixtures";

/** The pipeline board's session routes: columns, "load more", and moves through the one update service. */

let org: TestOrganization;
let cookie: string;

beforeAll(async () => {
  org = await createTestOrganization();
  cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
  for (let i = 0; i < 53; i++) await createTestLead(org, { name: `Open ${String(i).padStart(2, "0")}`, value: "10", source: i % 2 ? "webform" : "calltracker" });
  await createTestLead(org, { name: "Big win", status: "won", value: "1000.50", source: "webform" });
});

const board = async (query = "") => {
  const reply = await api("GET", `/api/app/pipeline${query}`, { cookie });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.data as PipelineBoard;
};
const move = (body: unknown) => api("POST", "/api/app/pipeline/move", { cookie, body });

describe("pipeline board", () => {
  it("has a column per status with count, value and the newest 50 cards, and loads more after a cursor", async () => {
    const data = await board();
    expect(data.columns.map((c) => [c.status, c.count, c.value, c.cards.length])).toEqual([
      ["open", 53, 530, 50],
      ["qualified", 0, 0, 0],
      ["won", 1, 1000.5, 1],
      ["lost", 0, 0, 0],
    ]);
    const open = data.columns[0]!;
    expect(open.cards[0]?.name).toBe("Open 52");
    expect(data.sources).toEqual(["calltracker", "webform"]);
    const more = await api("GET", `/api/app/pipeline/cards?status=open&cursor=${open.nextCursor}`, { cookie });
    const page = more.body.data as { cards: LeadDto[]; nextCursor: string | null };
    expect(page.cards.map((c) => c.name)).toEqual(["Open 02", "Open 01", "Open 00"]);
    expect(page.nextCursor).toBeNull();
    expect((await api("GET", "/api/app/pipeline/cards?status=open&cursor=bogus", { cookie })).status).toBe(400);
  });

  it("filters by source and search", async () => {
    const data = await board("?source=webform&search=big");
    expect(data.columns.map((c) => c.count)).toEqual([0, 0, 1, 0]);
  });

  it("needs a session", async () => {
    expect((await api("GET", "/api/app/pipeline")).status).toBe(401);
    expect((await api("POST", "/api/app/pipeline/move", { body: {} })).status).toBe(401);
  });

  it("moves through the update service: history, a reason required for lost, stale versions refused", async () => {
    const lead = await createTestLead(org, { name: "Mover" });
    const moved = await move({ leadId: lead.id, status: "qualified", expectedVersion: lead.version });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ status: "qualified", version: lead.version + 1 });
    const { events } = await leadHistory(lead.id);
    expect(events.at(-1)).toMatchObject({ actorType: "user", source: "app", changes: { status: { from: "open", to: "qualified" } } });

    const noReason = await move({ leadId: lead.id, status: "lost", expectedVersion: lead.version + 1 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error?.message).toMatch(/lossReason/);

    // Someone else changes the lead: the board's version is stale.
    await patchLeads(org.apiKey, { id: lead.id, value: "99" });
    const stale = await move({ leadId: lead.id, status: "won", expectedVersion: lead.version + 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.details).toMatchObject({ reason: "STALE_VERSION", lead: { status: "qualified", value: 99 } });

    const lost = await move({ leadId: lead.id, status: "lost", expectedVersion: lead.version + 2, lossReason: "Went quiet" });
    expect(lost.body.data).toMatchObject({ status: "lost", lossReason: "Went quiet", lossReasonId: null });
  });
});
