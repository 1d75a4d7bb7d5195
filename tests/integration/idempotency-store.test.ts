import { beforeAll, describe, expect, it } from "vitest";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "@/lib/api/idempotency-store";
import { prisma } from "@/lib/db/client";
import { createTestOrganization, type TestOrganization } from "../helpers/fixtures";

let org: TestOrganization;
beforeAll(async () => {
  org = await createTestOrganization();
});

const key = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;

async function backdate(k: string, interval: string) {
  await prisma.$executeRawUnsafe(
    `UPDATE "IdempotencyKey" SET "createdAt" = "createdAt" - interval '${interval}' WHERE "organizationId" = $1 AND "key" = $2`,
    org.organizationId,
    k,
  );
}

describe("Idempotency-Key store", () => {
  it("claims a key once; later claims see the running request, then its stored reply", async () => {
    const k = key("claim");
    const organizationId = org.organizationId;
    expect(await claimIdempotencyKey({ organizationId, key: k, requestHash: "h1", claimToken: "t1" })).toEqual({ claimed: true });
    const running = await claimIdempotencyKey({ organizationId, key: k, requestHash: "h1", claimToken: "t2" });
    expect(running).toEqual({ claimed: false, existing: { requestHash: "h1", status: null, responseBody: null, requestId: null } });

    // Only the holder of the claim can complete it.
    await completeIdempotencyKey({ organizationId, key: k, claimToken: "t2", status: 200, responseBody: "{}", requestId: "req_x" });
    expect((await claimIdempotencyKey({ organizationId, key: k, requestHash: "h1", claimToken: "t3" })).claimed).toBe(false);
    await completeIdempotencyKey({ organizationId, key: k, claimToken: "t1", status: 200, responseBody: '{"a":1}', requestId: "req_1" });
    expect(await claimIdempotencyKey({ organizationId, key: k, requestHash: "h1", claimToken: "t4" })).toEqual({
      claimed: false,
      existing: { requestHash: "h1", status: 200, responseBody: '{"a":1}', requestId: "req_1" },
    });
  });

  it("a released claim (a 500) can be claimed again", async () => {
    const k = key("release");
    const organizationId = org.organizationId;
    await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t1" });
    await releaseIdempotencyKey({ organizationId, key: k, claimToken: "t1" });
    expect((await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t2" })).claimed).toBe(true);
  });

  it("an expired record (over 24 hours) is taken over by the next claim, and deleted by the cleanup", async () => {
    const organizationId = org.organizationId;
    const [old, young, cleaned] = [key("old"), key("young"), key("cleaned")];
    for (const k of [old, young, cleaned]) {
      await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t" });
      await completeIdempotencyKey({ organizationId, key: k, claimToken: "t", status: 200, responseBody: "{}", requestId: "r" });
    }
    await backdate(old, "25 hours");
    await backdate(young, "23 hours");
    await backdate(cleaned, "25 hours");

    expect((await claimIdempotencyKey({ organizationId, key: old, requestHash: "other", claimToken: "t2" })).claimed).toBe(true);
    expect((await claimIdempotencyKey({ organizationId, key: young, requestHash: "h", claimToken: "t2" })).claimed).toBe(false);

    expect(await deleteExpiredIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    const left = await prisma.idempotencyKey.findMany({ where: { organizationId, key: { in: [old, young, cleaned] } }, select: { key: true } });
    expect(left.map((r) => r.key).sort()).toEqual([old, young].sort());
  });

  it("a claim abandoned while running (its instance died) is taken over after 10 minutes, not before", async () => {
    const k = key("abandoned");
    const organizationId = org.organizationId;
    await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t1" });
    await backdate(k, "5 minutes");
    expect((await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t2" })).claimed).toBe(false);
    await backdate(k, "6 minutes");
    expect((await claimIdempotencyKey({ organizationId, key: k, requestHash: "h", claimToken: "t3" })).claimed).toBe(true);
  });
});
