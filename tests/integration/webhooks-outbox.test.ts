import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databasePool, prisma } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { createLead } from "@/lib/leads/create-lead";
import { updateLeads } from "@/lib/leads/update-leads";
import { claimStatement, release, type Claimed } from "@/lib/webhooks/deliveries";
import { createTestOrganization, type TestOrganization } from "../helpers/fixtures";
import { planNodes, type PlanNode } from "../helpers/plans";

/**
 * The outbox on the real database, called as the services call it: one delivery per event and
 * subscribed, enabled endpoint, in the lead change's own transaction, and the sending woken once
 * it commits (here, a process without job workers: a pg-boss job). The endpoints point to a
 * closed port and are disabled after each test, so the app's workers do not keep retrying them.
 */

let org: TestOrganization;
const ALL = ["lead.created", "lead.updated", "lead.status_changed", "lead.note_added"];

async function endpoint(events: string[], statuses: ("open" | "qualified" | "won" | "lost")[] = [], enabled = true) {
  return prisma.webhookEndpoint.create({
    data: { id: `wh_${Math.random().toString(36).slice(2)}`, organizationId: org.organizationId, url: "http://127.0.0.1:9/closed", events, statuses, secret: "whsec_x", enabled },
  });
}

/** The webhook-deliver jobs of one (endpoint, lead) group. */
async function deliverJobs(endpointId: string, leadId: string): Promise<number> {
  const jobs = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pgboss.job WHERE name = 'webhook-deliver' AND data->>'endpointId' = ${endpointId} AND data->>'orderKey' = ${leadId}`;
  return Number(jobs[0]?.n ?? 0);
}

async function deliveries(endpointId: string) {
  return prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  org = await createTestOrganization();
});
afterAll(async () => {
  await prisma.webhookEndpoint.updateMany({ where: { organizationId: org.organizationId }, data: { enabled: false } });
  await stopBoss();
});

describe("the webhook outbox", () => {
  it("writes nothing for an organization without endpoints", async () => {
    const other = await createTestOrganization();
    const lead = await createLead(other.apiCtx, { name: "No hooks", note: "hi" });
    await updateLeads(other.apiCtx, { match: { by: "id", id: lead.id }, changes: { status: "won" } });
    expect(await prisma.webhookDelivery.count({ where: { organizationId: other.organizationId } })).toBe(0);
  });

  it("derives the event types of a change, in order, with a stable payload per event", async () => {
    const all = await endpoint(ALL);
    const wonOnly = await endpoint(["lead.status_changed"], ["won"]);
    const disabled = await endpoint(ALL, [], false);
    try {
      const lead = await createLead(org.apiCtx, { name: "Typed", note: "first note" });
      await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "qualified" } });
      await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "won", value: "10.00", note: "won it" } });
      await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { note: "just a note" } });

      const rows = await deliveries(all.id);
      expect(rows.map((r) => r.eventType)).toEqual([
        "lead.created",
        "lead.note_added",
        "lead.updated",
        "lead.status_changed",
        "lead.updated",
        "lead.status_changed",
        "lead.note_added",
        "lead.note_added",
      ]);
      expect(rows.every((r) => r.orderKey === lead.id && r.leadId === lead.id)).toBe(true);
      const payload = rows[4]?.payload as { id: string; type: string; data: { lead: { status: string; value: number }; changes: unknown; actor: unknown; requestId: string } };
      expect(payload.id).toBe(rows[4]?.eventId);
      expect(payload.data.lead).toMatchObject({ id: lead.id, status: "won", value: 10 });
      expect(payload.data.changes).toMatchObject({ status: { from: "qualified", to: "won" }, value: { from: null, to: 10 }, note: { to: "won it" } });
      expect(payload.data.actor).toEqual({ type: "user", id: org.userId, name: org.userName });
      expect(payload.data.requestId).toBe(org.appCtx.requestId);

      expect((await deliveries(wonOnly.id)).map((r) => (r.payload as { data: { changes: { status: { to: string } } } }).data.changes.status.to)).toEqual(["won"]);
      expect(await deliveries(disabled.id)).toEqual([]);

      await expect.poll(() => deliverJobs(all.id, lead.id), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    } finally {
      await prisma.webhookEndpoint.updateMany({ where: { organizationId: org.organizationId }, data: { enabled: false } });
    }
  });

  // No wake-up either: afterCommit never runs for a rollback (after-commit.test.ts).
  it("rolls back with the change: a refused update leaves no delivery", async () => {
    const all = await endpoint(ALL);
    try {
      const lead = await createLead(org.apiCtx, { name: "Stale" });
      const before = (await deliveries(all.id)).length;
      await expect(
        updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "won" }, expectedVersion: 99 }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await deliveries(all.id)).toHaveLength(before);
    } finally {
      await prisma.webhookEndpoint.update({ where: { id: all.id }, data: { enabled: false } });
    }
  });
});

describe("the sender's claim", () => {
  // A process that held a claimed delivery past its lease (a long backlog) gives it back without
  // undoing the claim another sender made since.
  it("gives back only what is still its own claim", async () => {
    const disabled = await endpoint(ALL, [], false);
    const id = `whd_release_${Math.random().toString(36).slice(2)}`;
    await prisma.$executeRaw`
      INSERT INTO "WebhookDelivery" ("id", "organizationId", "endpointId", "eventId", "eventType", "orderKey", "payload", "attempts", "lockedUntil", "lastAttemptAt")
      VALUES (${id}, ${org.organizationId}, ${disabled.id}, ${`${id}_evt`}, 'lead.updated', 'lead_x', '{}'::json, 2, now() + interval '15 seconds', now())`;
    const mine = { id, attempts: 1 } as Claimed; // claimed once, then again by another sender (attempts 2)
    await release([mine]);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 2, lockedUntil: expect.any(Date) });
    await release([{ ...mine, attempts: 2 }]);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 1, lockedUntil: null });
  });

  // Before the partial index, the head was found by walking the group's whole history in seq
  // order and reading each row's status from the table: thousands of buffers for this group.
  it("finds a group's head among its pending deliveries only, however many were delivered before", async () => {
    const disabled = await endpoint(ALL, [], false);
    const leadId = `lead_history_${Math.random().toString(36).slice(2)}`;
    await prisma.$executeRaw`
      INSERT INTO "WebhookDelivery" ("id", "organizationId", "endpointId", "eventId", "eventType", "leadId", "orderKey", "payload", "status", "attempts", "deliveredAt")
      SELECT 'whd_hist_' || ${leadId} || '_' || i, ${org.organizationId}, ${disabled.id}, 'whevt_' || ${leadId} || '_' || i, 'lead.updated', ${leadId}, ${leadId}, '{}'::json,
        CASE WHEN i <= 3000 THEN 'delivered' ELSE 'pending' END::"WebhookDeliveryStatus", 1, CASE WHEN i <= 3000 THEN now() END
      FROM generate_series(1, 3001) AS i`;
    await prisma.$executeRaw`ANALYZE "WebhookDelivery"`;

    const statement = claimStatement([{ endpointId: disabled.id, orderKey: leadId }]);
    const client = await databasePool().connect();
    try {
      // EXPLAIN ANALYZE runs the claim: inside a transaction that is rolled back.
      await client.query("BEGIN");
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>({
        text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
        values: statement.values,
      });
      const plan = rows[0]?.["QUERY PLAN"][0]?.Plan;
      if (!plan) throw new Error("no plan");
      const scans = planNodes(plan).filter((n) => n["Index Name"]?.startsWith("WebhookDelivery_") && n["Index Name"] !== "WebhookDelivery_pkey");
      expect(scans.map((n) => n["Index Name"])).toEqual(expect.arrayContaining(["WebhookDelivery_pending_idx"]));
      expect(scans.every((n) => n["Index Name"] === "WebhookDelivery_pending_idx")).toBe(true);
      expect(plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]).toBeLessThan(100);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
