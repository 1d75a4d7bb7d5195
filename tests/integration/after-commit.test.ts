import { expect, it } from "vitest";
import { afterCommit } from "@/lib/db/after-commit";
import { sqlTransaction } from "@/lib/db/sql-tx";
import { inTransaction } from "@/lib/leads/store";

/** afterCommit (the webhook outbox's wake-up): after the commit, never for a rollback. */

it("runs the callbacks once the transaction committed, in order", async () => {
  const calls: string[] = [];
  await inTransaction(async (tx) => {
    afterCommit(tx, () => calls.push("first"));
    afterCommit(tx, () => calls.push("second"));
    await tx.query("SELECT 1");
    expect(calls).toEqual([]);
  });
  expect(calls).toEqual(["first", "second"]);
});

it("never runs them for a transaction that rolled back", async () => {
  const calls: string[] = [];
  await expect(
    inTransaction(async (tx) => {
      afterCommit(tx, () => calls.push("rolled back"));
      throw new Error("refused");
    }),
  ).rejects.toThrow("refused");
  expect(calls).toEqual([]);
});

it("refuses a transaction it does not run (the wake-up would be lost)", async () => {
  await sqlTransaction(async (tx) => {
    expect(() => afterCommit(tx, () => undefined)).toThrow(/inTransaction/);
  });
});
