import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { exportLeadsCsv } from "@/lib/imports/export-leads";
import { uploadImport } from "@/lib/imports/imports";
import { resolveMapping } from "@/lib/imports/mapping";
import { rowRequestId, runImport } from "@/lib/imports/run-import";
import { exportLeadsQuerySchema } from "@/lib/imports/schemas";
import { findImportById, queueDraft } from "@/lib/imports/store";
import { listLeads } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { createTestLead, createTestOrganization } from "../helpers/fixtures";

const body = (text: string) => new Blob([text]).stream();

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("export in keyset batches", () => {
  it("streams every lead of the view exactly once, in the list's order, across batch boundaries and null values", async () => {
    const org = await createTestOrganization();
    const values = [null, "10", "10", "20", null, "5", "10", null, "30", "5", "20", null, "7"];
    for (const [i, value] of values.entries()) {
      await createTestLead(org, { name: i % 4 === 0 ? undefined : `Lead ${String.fromCharCode(65 + (i % 5))}`, email: `l${i}@example.com`, ...(value ? { value } : {}) });
    }
    for (const sort of ["value:asc", "value:desc", "name:asc", "name:desc", "createdAt:desc", "createdAt:asc"]) {
      const csv = await readAll(exportLeadsCsv(org.apiCtx.organization, exportLeadsQuerySchema.parse({ sort }), 3));
      const ids = csv.trim().split("\r\n").slice(1).map((line) => line.split(",")[0]);
      const listed = await listLeads(org.apiCtx.organization, listLeadsQuerySchema.parse({ sort, limit: "100" }));
      expect(ids, sort).toEqual(listed.leads.map((l) => l.id));
    }
  });
});

describe("resuming an interrupted import", () => {
  it("applies no row twice when the worker dies after a batch's leads committed but before its outcomes did", async () => {
    const org = await createTestOrganization();
    const rows = Array.from({ length: 300 }, (_, i) => `Lead ${i},lead${i}@resume.example,${i % 7 === 0 ? "-1" : String(i)}`);
    const draft = await uploadImport({ ...org.appCtx, source: "import" }, body(`name,email,value\n${rows.join("\n")}\n`), "resume.csv");
    expect(draft.totalRows).toBe(300);
    await queueDraft(draft.id, "update", resolveMapping({ name: "name", email: "email", value: "value" }, ["name", "email", "value"]));

    // The first worker records one batch, then dies in the middle of the second: that batch's
    // leads are committed, its outcomes are not, and its lease runs out at once.
    expect(await runImport(draft.id, { owner: "dead-worker", crashAfterBatches: 1, leaseSeconds: 0 })).toBe("interrupted");
    const midway = await findImportById(draft.id);
    expect(midway?.status).toBe("running");
    expect(midway?.processedRows).toBeGreaterThan(0);
    expect(midway?.processedRows).toBeLessThan(300);

    expect(await runImport(draft.id, { owner: "next-worker" })).toBe("completed");
    const done = await findImportById(draft.id);
    const failing = rows.filter((_, i) => i % 7 === 0).length;
    expect(done).toMatchObject({ status: "completed", processedRows: 300, failedCount: failing, createdCount: 300 - failing, updatedCount: 0 });
    expect(done?.attempts).toBe(2);

    // One lead per good row, each with one "created" event: nothing ran twice.
    const leads = await prisma.lead.count({ where: { organizationId: org.organizationId } });
    expect(leads).toBe(300 - failing);
    const events = await prisma.leadEvent.groupBy({ by: ["requestId"], where: { organizationId: org.organizationId }, _count: { _all: true } });
    expect(events.every((e) => e._count._all === 1)).toBe(true);
    expect(events.map((e) => e.requestId)).toContain(rowRequestId(draft.id, 2));
    const row = await prisma.leadImportRow.findUniqueOrThrow({ where: { importId_rowNumber: { importId: draft.id, rowNumber: 1 } } });
    expect(row).toMatchObject({ outcome: "failed", error: "value: must not be negative" });

    // Finished: another worker has nothing to do.
    expect(await runImport(draft.id, { owner: "late-worker" })).toBe("busy");
  });

  it("ends as failed, with the unprocessed rows in the report, after too many interruptions", async () => {
    const org = await createTestOrganization();
    const rows = Array.from({ length: 300 }, (_, i) => `Lead ${i},-${i + 1}`);
    const draft = await uploadImport({ ...org.appCtx, source: "import" }, body(`name,value\n${rows.join("\n")}\n`), "flaky.csv");
    await queueDraft(draft.id, "create", { name: 0, value: 1 });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await runImport(draft.id, { owner: `worker-${attempt}`, crashAfterBatches: 0, leaseSeconds: 0 })).toBe("interrupted");
    }
    expect(await runImport(draft.id, { owner: "worker-6" })).toBe("failed");
    const done = await findImportById(draft.id);
    expect(done).toMatchObject({ status: "failed", processedRows: 300, failedCount: 300, createdCount: 0 });
    expect(done?.error).toMatch(/interrupted 5 times/);
    const failed = await prisma.leadImportRow.findFirstOrThrow({ where: { importId: draft.id, outcome: "failed" } });
    expect(failed.error).toMatch(/^Not imported: the import was interrupted 5 times/);
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });
});
