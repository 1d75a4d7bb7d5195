import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { databasePool, rawQuery, statementName } from "@/lib/db/client";
import { sqlTransaction } from "@/lib/db/sql-tx";
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
  it("a named statement is parsed once per connection and may settle on one generic plan", async () => {
    const text = `SELECT $1::int + 1 AS "next" /* generic-plan probe */`;
    const [row] = await sqlTransaction(async (tx) => {
      for (let i = 0; i < 8; i++) expect(await tx.query<{ next: number }>(text, [i])).toEqual([{ next: i + 1 }]);
      return tx.query<PreparedRow>(`${PREPARED} WHERE "statement" = $1`, [text]);
    });
    expect(row).toMatchObject({ name: statementName(text), custom_plans: 5 });
    expect(row?.generic_plans).toBe(3);
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

  it("the lists and a lead's history are planned for each run; the lead lookup and PATCH's writes are prepared", async () => {
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
});
