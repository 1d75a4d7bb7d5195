import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { listLeads } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { ESTIMATE_TTL_MS, forgetEstimates } from "@/lib/leads/total-estimates";
import { createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/** Estimated totals (above 10,000 matches) are reused per filter for a minute; exact ones never are. */

let big: TestOrganization;
const query = (raw: Record<string, string>) => listLeadsQuerySchema.parse({ limit: "5", ...raw });

beforeAll(async () => {
  big = await createTestOrganization();
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "status", "currency", "createdAt", "updatedAt")
    SELECT 'lead_est' || lpad(i::text, 6, '0') || substr(${big.organizationId}, 5, 6), ${big.organizationId}, 'Estimate ' || i,
      (CASE WHEN i <= 50 THEN 'won' ELSE 'open' END)::"LeadStatus", 'USD', now(), now()
    FROM generate_series(1, 10050) AS i`;
  await prisma.$executeRawUnsafe(`ANALYZE "Lead"`);
});

afterEach(() => {
  vi.restoreAllMocks();
  forgetEstimates();
});

describe("list totals over 10,000 matches", () => {
  it("reuse the estimate for the same filter until it is a minute old, then count again", async () => {
    const first = await listLeads(big.appCtx.organization, query({}));
    expect(first.pagination).toMatchObject({ totalIsEstimate: true });
    const estimate = first.pagination.total;
    expect(estimate).toBeGreaterThan(10_000);

    // 100 leads go: a fresh count would now be exact (9,950).
    await prisma.$executeRaw`DELETE FROM "Lead" WHERE "organizationId" = ${big.organizationId} AND "id" IN (
      SELECT "id" FROM "Lead" WHERE "organizationId" = ${big.organizationId} AND "status" = 'open' ORDER BY "id" LIMIT 100)`;
    const soon = await listLeads(big.appCtx.organization, query({}));
    expect(soon.pagination).toMatchObject({ total: estimate, totalIsEstimate: true });
    expect(soon.leads).toHaveLength(5);

    const later = Date.now() + ESTIMATE_TTL_MS + 1_000;
    vi.spyOn(Date, "now").mockReturnValue(later);
    const afterTtl = await listLeads(big.appCtx.organization, query({}));
    expect(afterTtl.pagination).toMatchObject({ total: 9_950, totalIsEstimate: false });
  });

  it("are kept per filter, and exact totals are counted every time", async () => {
    const all = await listLeads(big.appCtx.organization, query({}));
    expect(all.pagination.totalIsEstimate).toBe(all.pagination.total > 10_000);
    const won = await listLeads(big.appCtx.organization, query({ status: "won" }));
    expect(won.pagination).toMatchObject({ total: 50, totalIsEstimate: false });
    await prisma.$executeRaw`UPDATE "Lead" SET "status" = 'won' WHERE "id" IN (
      SELECT "id" FROM "Lead" WHERE "organizationId" = ${big.organizationId} AND "status" = 'open' ORDER BY "id" LIMIT 3)`;
    const wonAgain = await listLeads(big.appCtx.organization, query({ status: "won" }));
    expect(wonAgain.pagination).toMatchObject({ total: 53, totalIsEstimate: false });
  });
});
