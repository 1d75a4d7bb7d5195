import { describe, expect, it } from "vitest";
import type { ActorContext } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { uploadImport } from "@/lib/imports/imports";
import { resolveMapping } from "@/lib/imports/mapping";
import { rowRequestId, runImport } from "@/lib/imports/run-import";
import { findImportById, queueDraft } from "@/lib/imports/store";
import { createLead, createLeads } from "@/lib/leads/create-lead";
import { inTransaction } from "@/lib/leads/store";
import { updateLeads, updateLeadsByEmails } from "@/lib/leads/update-leads";
import { createTestLead, createTestOrganization, leadHistory, leadRow, type TestOrganization } from "../helpers/fixtures";

const body = (text: string) => new Blob([text]).stream();
const rowCtx = (org: TestOrganization, requestId: string): ActorContext => ({ ...org.apiCtx, requestId });

describe("createLeads (createLead for a batch)", () => {
  it("writes the good inputs only, each with createLead's row, note and event, when a bad one is in the middle", async () => {
    const org = await createTestOrganization();
    const results = await inTransaction((tx) =>
      createLeads(tx, [
        { ctx: rowCtx(org, "batch:1"), input: { name: "First", email: " First@Batch.example ", status: "won", value: "12.5", note: "hello" } },
        { ctx: rowCtx(org, "batch:2"), input: { name: "Bad phone", phone: "12" } },
        { ctx: rowCtx(org, "batch:3"), input: { name: "Third", status: "lost", lossReason: "Budget" } },
      ]),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1];
    if (!bad || bad.ok) throw new Error("the bad input was accepted");
    expect(bad.error.code).toBe("VALIDATION_ERROR");
    // The same refusal as createLead's.
    await expect(createLead(org.apiCtx, { name: "Bad phone", phone: "12" })).rejects.toMatchObject({ code: bad.error.code, message: bad.error.message });

    const leads = await prisma.lead.findMany({ where: { organizationId: org.organizationId }, orderBy: { name: "asc" } });
    expect(leads.map((l) => l.name)).toEqual(["First", "Third"]);
    const [first, , third] = results;
    if (!first?.ok || !third?.ok) throw new Error("a good input failed");

    // Same columns and history as createLead writes for the same input.
    const single = await createLead(rowCtx(org, "single"), { name: "First", email: " First@Batch.example ", status: "won", value: "12.5", note: "hello" });
    const [batchRow, singleRow] = await Promise.all([leadRow(first.leadId), leadRow(single.id)]);
    const comparable = (row: typeof batchRow) => ({ ...row, id: null, createdAt: null, updatedAt: null, qualifiedAt: row.qualifiedAt !== null, wonAt: row.wonAt !== null });
    expect(comparable(batchRow)).toEqual(comparable(singleRow));
    expect(batchRow).toMatchObject({ email: "First@Batch.example", emailNormalized: "first@batch.example", status: "won", version: 1 });

    const history = await leadHistory(first.leadId);
    expect(history.notes.map((n) => n.body)).toEqual(["hello"]);
    expect(history.events).toHaveLength(1);
    expect(history.events[0]).toMatchObject({ type: "created", requestId: "batch:1", noteId: history.notes[0]?.id, actorType: "api_key" });
    expect(history.events[0]?.changes).toEqual({ status: { from: null, to: "won" }, value: { from: null, to: 12.5 } });
    expect((await leadHistory(single.id)).events[0]?.changes).toEqual(history.events[0]?.changes);

    const thirdHistory = await leadHistory(third.leadId);
    expect(thirdHistory.notes).toHaveLength(0);
    expect(thirdHistory.events).toMatchObject([{ type: "created", requestId: "batch:3", noteId: null, changes: { status: { from: null, to: "lost" }, lossReason: { from: null, to: "Budget" } } }]);
    expect(await prisma.leadEvent.count({ where: { organizationId: org.organizationId, requestId: "batch:2" } })).toBe(0);
  });
});

describe("updateLeadsByEmails (updateLeads by e-mail for a batch)", () => {
  it("refuses a row with several matches (bulk updates off) or none, and writes only the others", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: false });
    const one = await createTestLead(org, { email: "one@batch.example" });
    const twins = [await createTestLead(org, { email: "twin@batch.example" }), await createTestLead(org, { email: "twin@batch.example" })];
    const last = await createTestLead(org, { email: "last@batch.example", status: "qualified" });
    const results = await inTransaction((tx) =>
      updateLeadsByEmails(
        tx,
        [
          { ctx: rowCtx(org, "u:1"), email: "one@batch.example", changes: { status: "won", note: "row one" } },
          { ctx: rowCtx(org, "u:2"), email: "twin@batch.example", changes: { status: "lost", note: "row two" } },
          { ctx: rowCtx(org, "u:3"), email: "nobody@batch.example", changes: { note: "row three" } },
          { ctx: rowCtx(org, "u:4"), email: "last@batch.example", changes: { value: "40", note: "row four" } },
        ],
        10_000,
      ),
    );
    expect(results.map((r) => (r.ok ? r.leadIds : r.error.code))).toEqual([[one.id], "CONFLICT", "NOT_FOUND", [last.id]]);
    // The refusal reads exactly as updateLeads's.
    const refused = results[1];
    await expect(updateLeads(org.apiCtx, { match: { by: "email", email: "twin@batch.example" }, changes: { status: "lost" } })).rejects.toMatchObject({
      message: refused && !refused.ok ? refused.error.message : "",
    });

    expect(await leadRow(one.id)).toMatchObject({ status: "won", version: 2 });
    const oneHistory = await leadHistory(one.id);
    expect(oneHistory.notes.map((n) => n.body)).toEqual(["row one"]);
    expect(oneHistory.events.at(-1)).toMatchObject({ type: "updated", requestId: "u:1", changes: { status: { from: "open", to: "won" } } });
    const lastHistory = await leadHistory(last.id);
    expect(lastHistory.events.at(-1)).toMatchObject({ type: "updated", requestId: "u:4", changes: { value: { from: null, to: 40 } } });
    expect(lastHistory.notes.map((n) => n.body)).toEqual(["row four"]);
    for (const twin of twins) {
      expect(await leadRow(twin.id)).toMatchObject({ status: "open", version: 1 });
      expect((await leadHistory(twin.id)).events).toHaveLength(1);
    }
    expect(await prisma.leadNote.count({ where: { organizationId: org.organizationId, body: { in: ["row two", "row three"] } } })).toBe(0);
  });

  it("honours maxBulkMatches when bulk updates are on", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: true });
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await createTestLead(org, { email: "many@batch.example" }));
    const [over] = await inTransaction((tx) => updateLeadsByEmails(tx, [{ ctx: rowCtx(org, "m:1"), email: "many@batch.example", changes: { status: "won" } }], 2));
    expect(over).toMatchObject({ ok: false, error: { code: "CONFLICT", details: { matchCount: 3, maxBulkMatches: 2 } } });
    const [all] = await inTransaction((tx) => updateLeadsByEmails(tx, [{ ctx: rowCtx(org, "m:2"), email: "many@batch.example", changes: { status: "won" } }], 3));
    expect(all).toEqual({ ok: true, leadIds: leads.map((l) => l.id) });
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId, status: "won" } })).toBe(3);
  });
});

describe("a batch of an update-mode import", () => {
  it("writes the good rows only, keeps file order for rows sharing an e-mail, with one note and event per row", async () => {
    const org = await createTestOrganization({ allowBulkUpdates: false });
    const existing = await createTestLead(org, { email: "known@rows.example" });
    const twins = [await createTestLead(org, { email: "twin@rows.example" }), await createTestLead(org, { email: "twin@rows.example" })];
    const csv = [
      "name,email,value,status",
      "New,new@rows.example,10,qualified", // 1: created
      "Twin,twin@rows.example,5,", // 2: two leads match, bulk updates off: failed
      "Bad,bad@rows.example,-1,", // 3: failed by the row check
      "New again,NEW@rows.example,,won", // 4: updates the lead row 1 created
      "Known,known@rows.example,7,", // 5: updated
      "Six,six@rows.example,1,", // 6: created
    ].join("\n");
    const draft = await uploadImport({ ...org.appCtx, source: "import" }, body(`${csv}\n`), "rows.csv");
    await queueDraft(draft.id, "update", resolveMapping({ name: "name", email: "email", value: "value", status: "status" }, ["name", "email", "value", "status"]));
    expect(await runImport(draft.id, { owner: "batch-worker" })).toBe("completed");
    expect(await findImportById(draft.id)).toMatchObject({ status: "completed", processedRows: 6, createdCount: 2, updatedCount: 2, failedCount: 2 });

    const outcomes = await prisma.leadImportRow.findMany({ where: { importId: draft.id }, orderBy: { rowNumber: "asc" } });
    expect(outcomes.map((r) => r.outcome)).toEqual(["created", "failed", "failed", "updated", "updated", "created"]);
    expect(outcomes[1]?.error).toMatch(/^2 leads match this email/);
    expect(outcomes[2]?.error).toBe("value: must not be negative");
    expect(outcomes[3]?.leadId).toBe(outcomes[0]?.leadId);
    expect(outcomes[4]?.leadId).toBe(existing.id);

    const created = await leadRow(outcomes[0]?.leadId ?? "");
    expect(created).toMatchObject({ name: "New", status: "won", source: "import", version: 2 });
    expect(created.value?.toString()).toBe("10");
    const history = await leadHistory(created.id);
    expect(history.events.map((e) => [e.type, e.requestId])).toEqual([
      ["created", rowRequestId(draft.id, 1)],
      ["updated", rowRequestId(draft.id, 4)],
    ]);
    expect(history.events[1]?.changes).toEqual({ status: { from: "qualified", to: "won" } });
    expect(history.notes.map((n) => n.body).sort()).toEqual(["Imported from rows.csv (row 1)", "Imported from rows.csv (row 4)"]);

    expect(await leadRow(existing.id)).toMatchObject({ version: 2 });
    expect((await leadHistory(existing.id)).notes.map((n) => n.body)).toEqual(["Imported from rows.csv (row 5)"]);
    for (const twin of twins) expect((await leadHistory(twin.id)).events).toHaveLength(1);
    expect(await prisma.leadEvent.count({ where: { organizationId: org.organizationId, requestId: { in: [rowRequestId(draft.id, 2), rowRequestId(draft.id, 3)] } } })).toBe(0);
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId } })).toBe(5);
  });
});
