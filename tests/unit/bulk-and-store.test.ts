import { describe, expect, it } from "vitest";
import { applyLeadUpdate, planLeadUpdate } from "@/lib/leads/plan-update";
import { listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { Decimal, leadRecordFromRow, type LeadEventRow, type LeadNoteRow, type LeadRecord, type LeadUpdateWrite } from "@/lib/leads/store/record";
import { INSERT_HISTORY_SQL, insertHistoryParams, WRITE_CHANGES_SQL, writeChangesParams } from "@/lib/leads/store/sql";
import { organizationSettingsSchema } from "@/lib/organizations/organizations";

const parse = (body: unknown) => updateLeadsBodySchema.safeParse(body);

describe("updateLeadsBodySchema: onMultiple and dryRun", () => {
  it("leaves both out when absent, so the organization's setting decides", () => {
    expect(parse({ email: "a@b.co", status: "won" }).data).toEqual({ match: { by: "email", email: "a@b.co" }, changes: { status: "won" } });
  });

  it("takes error or all, in any case; blank or null count as absent", () => {
    expect(parse({ email: "a@b.co", onMultiple: "ALL" }).data?.onMultiple).toBe("all");
    expect(parse({ email: "a@b.co", onMultiple: "error" }).data?.onMultiple).toBe("error");
    expect(parse({ email: "a@b.co", onMultiple: " " }).data?.onMultiple).toBeUndefined();
    expect(parse({ email: "a@b.co", onMultiple: null }).data?.onMultiple).toBeUndefined();
  });

  it("refuses another policy with the allowed values", () => {
    const result = parse({ email: "a@b.co", onMultiple: "first" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["onMultiple"]);
    expect(result.error?.issues[0]?.message).toBe("must be one of: error, all");
  });

  it("takes dryRun as a boolean only", () => {
    expect(parse({ id: "x", dryRun: true }).data?.dryRun).toBe(true);
    expect(parse({ id: "x", dryRun: false }).data?.dryRun).toBeUndefined();
    expect(parse({ id: "x", dryRun: null }).data?.dryRun).toBeUndefined();
    expect(parse({ id: "x", dryRun: "yes" }).error?.issues[0]?.path).toEqual(["dryRun"]);
  });
});

describe("listLeadsQuerySchema: requestId", () => {
  it("takes the request id whose changes to list", () => {
    expect(listLeadsQuerySchema.parse({ requestId: " req_abc123 " }).requestId).toBe("req_abc123");
    expect(listLeadsQuerySchema.parse({}).requestId).toBeUndefined();
    expect(listLeadsQuerySchema.safeParse({ requestId: "x".repeat(129) }).success).toBe(false);
  });
});

describe("organizationSettingsSchema: maxBulkMatches", () => {
  it("takes a whole number from 2 to 1,000,000", () => {
    expect(organizationSettingsSchema.parse({ maxBulkMatches: 25_000 }).maxBulkMatches).toBe(25_000);
    for (const bad of [0, 1, 1.5, 1_000_001, "100", null]) {
      expect(organizationSettingsSchema.safeParse({ maxBulkMatches: bad }).success).toBe(false);
    }
  });
});

const now = new Date("2026-11-27T12:00:00Z");
const lead = (i: number): LeadRecord => ({
  id: `lead_${i}`,
  name: null,
  email: null,
  phone: null,
  company: null,
  source: "api",
  status: "open",
  value: new Decimal("10.00"),
  currency: "USD",
  lossReason: null,
  lossReasonId: null,
  qualifiedAt: null,
  wonAt: null,
  lostAt: null,
  createdAt: now,
  updatedAt: now,
  version: 1,
});

function plan(count: number) {
  const writes: LeadUpdateWrite[] = [];
  const notes: LeadNoteRow[] = [];
  const events: LeadEventRow[] = [];
  for (let i = 0; i < count; i++) {
    const { data, diff } = planLeadUpdate(lead(i), { status: "won", value: "12.50" }, now);
    writes.push({ leadId: `lead_${i}`, data, bumpVersion: true });
    notes.push({ id: `note_${i}`, organizationId: "org", leadId: `lead_${i}`, body: "n", authorUserId: null, authorApiKeyId: "key", createdAt: now });
    events.push({
      id: `evt_${i}`, organizationId: "org", leadId: `lead_${i}`, type: "updated", changes: diff, actorType: "api_key",
      actorUserId: null, actorApiKeyId: "key", actorName: "k", source: "api", requestId: "req", noteId: `note_${i}`, createdAt: now,
    });
  }
  return { writes, notes, events };
}

const placeholders = (sql: string) => new Set(sql.match(/\$\d+/g)).size;

describe("the store's set-based statements", () => {
  it("take the same number of parameters for 1 lead and for 50,000", () => {
    const one = plan(1);
    const many = plan(50_000);
    const a = writeChangesParams(one.writes, one.notes, one.events, now, ["lead_0"]);
    const b = writeChangesParams(many.writes, many.notes, many.events, now, ["lead_0"]);
    expect(a).toHaveLength(placeholders(WRITE_CHANGES_SQL));
    expect(b).toHaveLength(a.length);
    expect(insertHistoryParams(many.notes, many.events)).toHaveLength(placeholders(INSERT_HISTORY_SQL));
  });

  it("send each lead's planned columns in one array per column, the flags telling a NULL apart from 'keep'", () => {
    const { writes } = plan(2);
    writes.push({ leadId: "lead_note_only", data: {}, bumpVersion: false });
    writes.push({ leadId: "lead_cleared", data: { value: null, lossReason: null }, bumpVersion: true });
    const params = writeChangesParams(writes, [], [], now, []);
    expect(params[0]).toEqual(["lead_0", "lead_1", "lead_note_only", "lead_cleared"]);
    expect(params[1]).toEqual(["won", "won", null, null]);
    expect(params[2]).toEqual([true, true, false, true]);
    expect(params[3]).toEqual(["12.50", "12.50", null, null]);
    expect(params[4]).toEqual([false, false, false, true]);
    expect(params[9]).toEqual([true, true, false, true]);
  });

  it("read a decimal as Prisma's Decimal, never through a float", () => {
    const record = leadRecordFromRow({ ...lead(1), status: "won", value: "999999999999.99" });
    expect(record.value).toBeInstanceOf(Decimal);
    expect(record.value?.toFixed(2)).toBe("999999999999.99");
  });
});

describe("applyLeadUpdate (what a dry run shows as 'after')", () => {
  it("is the lead as the store's update would write it", () => {
    const before = { ...lead(1), status: "lost" as const, lossReason: "No budget" };
    const { data } = planLeadUpdate(before, { status: "won", value: "99.99" }, now);
    const after = applyLeadUpdate(before, data, { now, bumpVersion: true });
    expect(after).toMatchObject({ status: "won", lossReason: null, wonAt: now, qualifiedAt: now, version: 2, updatedAt: now });
    expect(after.value?.toFixed(2)).toBe("99.99");
    expect(before.status).toBe("lost");
  });
});
