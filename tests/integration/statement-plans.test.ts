import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { databasePool, prisma, rawQuery, sqlStatement, statementName } from "@/lib/db/client";
import { getLeadHistoryOrThrow, getLeadOrThrow } from "@/lib/leads/get-lead";
import { listLeads } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { updateLeads } from "@/lib/leads/update-leads";
import { createTestLead, createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/**
 * Which statements PostgreSQL may keep one generic plan for (lib/db/client): the named ones, the
 * key lookups and writes; and which it plans for each run's values: the lists and a lead's
 * history, sent unnamed.
 */

interface PreparedRow {
  name: string;
  statement: string;
  generic_plans: number;
  custom_plans: number;
}

const PREPARED = `SELECT "name", "statement", "generic_plans"::int, "custom_plans"::int FROM pg_prepared_statements`;

/** The prepared statements of every connection of the app's pool (all idle between calls: each is taken once). */
async function preparedOnEveryConnection(): Promise<PreparedRow[]> {
  const pool = databasePool();
  const clients: pg.PoolClient[] = [];
  try {
    while (clients.length < pool.totalCount) clients.push(await pool.connect());
    const rows: PreparedRow[] = [];
    for (const client of clients) rows.push(...(await client.query<PreparedRow>(PREPARED)).rows);
    return rows;
  } finally {
    for (const client of clients) client.release();
  }
}

let org: TestOrganization;

beforeAll(async () => {
  org = await createTestOrganization();
});

describe("statement plans", () => {
  it("a named statement is parsed once per connection and, outside the write transactions, may settle on one generic plan", async () => {
    const text = `SELECT $1::int + 1 AS "next" /* generic-plan probe */`;
    const client = await databasePool().connect();
    try {
      for (let i = 0; i < 8; i++) expect((await client.query<{ next: number }>(sqlStatement(text, [i]))).rows).toEqual([{ next: i + 1 }]);
      const [row] = (await client.query<PreparedRow>(`${PREPARED} WHERE "statement" = $1`, [text])).rows;
      expect(row).toMatchObject({ name: statementName(text), custom_plans: 5, generic_plans: 3 });
    } finally {
      client.release();
    }
    // The connections no longer force a plan per run (they did before: docs/performance.md).
    expect(await rawQuery("SHOW plan_cache_mode", [])).toEqual([{ plan_cache_mode: "auto" }]);
  });

  it("a statement planned each run is sent unnamed, so PostgreSQL keeps no plan of it", async () => {
    const text = `SELECT $1::int * 2 AS "twice" /* per-run probe */`;
    for (let i = 0; i < 8; i++) expect(await rawQuery<{ twice: number }>(text, [i], { planEachRun: true })).toEqual([{ twice: 2 * i }]);
    expect((await preparedOnEveryConnection()).filter((p) => p.statement === text)).toEqual([]);
    await rawQuery(text, [1]);
    expect((await preparedOnEveryConnection()).filter((p) => p.statement === text)).toHaveLength(1);
  });

  it("the lists and a lead's history are planned for each run; PATCH's writes are prepared", async () => {
    const lead = await createTestLead(org, { name: "Plan Probe", email: "plan.probe@example.com" });
    for (let i = 0; i < 7; i++) {
      await updateLeads(org.apiCtx, { match: { by: "id", id: lead.id }, changes: { value: `${100 + i}`, note: `note ${i}` } });
      await getLeadOrThrow(org.appCtx.organization, lead.id);
      await getLeadHistoryOrThrow(org.appCtx.organization, lead.id, undefined);
      await listLeads(org.appCtx.organization, listLeadsQuerySchema.parse({ search: "Plan Probe" }));
      await listLeads(org.appCtx.organization, listLeadsQuerySchema.parse({ status: "open", sort: "value:desc" }));
    }
    const prepared = await preparedOnEveryConnection();
    const texts = prepared.map((p) => p.statement);
    // Reads of the history and of the list pages: none kept.
    expect(texts.filter((t) => /FROM "LeadEvent" e\b|FROM "LeadNote" n\b/.test(t))).toEqual([]);
    expect(texts.filter((t) => /ORDER BY "Lead"\./.test(t) || /count\(\*\)::int AS "n"/.test(t))).toEqual([]);
    // The writes of a PATCH are kept by name.
    expect(texts.some((t) => /UPDATE "Lead"/.test(t))).toBe(true);
    expect(texts.some((t) => /INSERT INTO "LeadEvent"/.test(t))).toBe(true);
  });

  it("the writes of a transaction use one generic plan from their first run, the webhook outbox's INSERT included", async () => {
    // The outbox INSERT takes its events as arrays: left to choose, PostgreSQL planned it on every run.
    const other = await createTestOrganization();
    await prisma.$executeRaw`INSERT INTO "WebhookEndpoint" ("id", "organizationId", "url", "events", "statuses", "secret", "updatedAt", "enabled")
      VALUES (${`wh_plans_${other.organizationId}`}, ${other.organizationId}, 'https://example.com/hook', ARRAY['lead.updated', 'lead.status_changed', 'lead.note_added'], '{}', 'whsec_plans', now(), true)`;
    const ctx = { ...other.apiCtx, organization: { ...other.apiCtx.organization, hasWebhookEndpoints: true } };
    for (let i = 0; i < 8; i++) {
      const lead = await createTestLead(other, { name: `Generic ${i}` });
      await updateLeads(ctx, { match: { by: "id", id: lead.id }, changes: { status: i % 2 ? "won" : "qualified", value: `${i + 1}`, note: `note ${i}` } });
    }
    const outbox = (await preparedOnEveryConnection()).filter((p) => /INSERT INTO "WebhookDelivery"/.test(p.statement));
    expect(outbox.length).toBeGreaterThan(0);
    for (const statement of outbox) expect(statement).toMatchObject({ custom_plans: 0 });
    // Run by each creation (no endpoint takes lead.created: it inserts nothing) and each update.
    expect(outbox.reduce((n, p) => n + p.generic_plans, 0)).toBeGreaterThanOrEqual(16);
    expect(await prisma.webhookDelivery.count({ where: { organizationId: other.organizationId } })).toBe(24);
  });
});
