import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { updateLeads } from "@/lib/leads/update-leads";
import { createTestLead, createTestOrganization, leadHistory, leadRow, type TestOrganization } from "../helpers/fixtures";

/** The shared update service against the real PostgreSQL, as the app's form calls it. */

let org: TestOrganization;

beforeAll(async () => {
  org = await createTestOrganization();
});

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("updateLeads", () => {
  it("records a change from the app with the user as actor and app as source", async () => {
    const lead = await createTestLead(org);
    const result = await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "lost", lossReason: "Too expensive", note: "Sad" } });
    expect(result.leads[0]).toMatchObject({ status: "lost", lossReason: "Too expensive", version: lead.version + 1 });
    const { notes, events } = await leadHistory(lead.id);
    expect(notes[0]).toMatchObject({ body: "Sad", authorUserId: org.userId, authorApiKeyId: null });
    expect(events.at(-1)).toMatchObject({ actorType: "user", actorUserId: org.userId, actorName: org.userName, source: "app" });
  });

  it("lets the app reopen a lead", async () => {
    const lead = await createTestLead(org, { status: "won" });
    await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "open" } });
    expect((await leadRow(lead.id)).status).toBe("open");
  });

  it("refuses a stale version, returning the current lead, and writes nothing", async () => {
    const lead = await createTestLead(org);
    await updateLeads(org.apiCtx, { match: { by: "id", id: lead.id }, changes: { value: "99" } });
    const error = await expectAppError(
      updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "won", note: "mine" }, expectedVersion: lead.version }),
      "CONFLICT",
    );
    expect(error.details).toMatchObject({ reason: "STALE_VERSION", lead: { value: 99, version: lead.version + 1 } });
    expect((await leadRow(lead.id)).status).toBe("open");
    expect((await leadHistory(lead.id)).notes).toHaveLength(0);
  });

  it("accepts the current version and bumps it", async () => {
    const lead = await createTestLead(org);
    const result = await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "won" }, expectedVersion: lead.version });
    expect(result.leads[0]?.version).toBe(lead.version + 1);
  });

  it("does not bump the version or write an event when nothing changes", async () => {
    const lead = await createTestLead(org, { status: "qualified" });
    const result = await updateLeads(org.appCtx, { match: { by: "id", id: lead.id }, changes: { status: "qualified" } });
    expect(result.changedCount).toBe(0);
    expect((await leadRow(lead.id)).version).toBe(lead.version);
    expect((await leadHistory(lead.id)).events).toHaveLength(1);
  });

  it("is scoped to the caller's organization", async () => {
    const other = await createTestOrganization();
    const theirs = await createTestLead(other);
    await expectAppError(updateLeads(org.appCtx, { match: { by: "id", id: theirs.id }, changes: { status: "won" } }), "NOT_FOUND");
    expect((await leadRow(theirs.id)).status).toBe("open");
  });

  it("rolls everything back when a step fails", async () => {
    const bulk = await createTestOrganization({ allowBulkUpdates: true });
    const a = await createTestLead(bulk, { email: "rollback@example.com" });
    const b = await createTestLead(bulk, { email: "rollback@example.com" });
    // An actor whose user does not exist makes the note insert fail after both leads were updated.
    const broken = { ...bulk.appCtx, actor: { type: "user" as const, userId: "user_missing", name: "Ghost" } };
    await expect(
      updateLeads(broken, { match: { by: "email", email: "rollback@example.com" }, changes: { status: "won", note: "never" } }),
    ).rejects.toThrow();
    for (const lead of [a, b]) {
      expect((await leadRow(lead.id)).status).toBe("open");
      expect((await leadHistory(lead.id)).events).toHaveLength(1);
    }
  });
});
