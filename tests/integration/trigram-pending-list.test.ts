import { beforeAll, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestOrganization, type TestOrganization } from "../helpers/fixtures";
import { planNodes, type PlanNode } from "../helpers/plans";

/**
 * The search's trigram indexes keep their pending list small (migration
 * 20261128060000_trigram_pending_list): after thousands of lead changes a rare term still reads a
 * handful of index pages, not the megabytes of trigrams the changes queued.
 */

let org: TestOrganization;

function indexScans(node: PlanNode): PlanNode[] {
  return planNodes(node).filter((n) => n["Node Type"] === "Bitmap Index Scan");
}

beforeAll(async () => {
  org = await createTestOrganization();
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "phone", "phoneNormalized", "status", "currency", "createdAt", "updatedAt")
    SELECT 'lead_gin' || lpad(i::text, 5, '0') || substr(${org.organizationId}, 5, 6), ${org.organizationId},
      'Pending Listperson ' || md5(i::text), md5(i::text) || '@pending-list.example', md5(i::text) || '@pending-list.example',
      '+1555' || lpad(i::text, 7, '0'), '+1555' || lpad(i::text, 7, '0'), 'open'::"LeadStatus", 'USD', now(), now()
    FROM generate_series(1, 4000) AS i`;
});

it("a rare term reads a few pages of each trigram index after 12,000 lead changes", async () => {
  // Status changes are not HOT updates: each one queues the row's trigrams in all three indexes.
  for (const status of ["qualified", "won", "open"]) {
    await prisma.$executeRawUnsafe(`UPDATE "Lead" SET "status" = '${status}', "updatedAt" = now() WHERE "organizationId" = $1`, org.organizationId);
  }
  // The search's shape (lib/leads/list-query.ts), on the trigram indexes: the test table is small
  // enough for the planner to prefer reading it whole.
  const explained = await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    return tx.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT "id" FROM "Lead" WHERE "name" ILIKE $1 OR "emailNormalized" LIKE $1 OR "phoneNormalized" LIKE $2`,
      "%zqxjkv%",
      "%98761%",
    );
  });
  const scans = indexScans(explained[0]!["QUERY PLAN"][0].Plan);
  expect(scans.map((s) => s["Index Name"]).sort()).toEqual(["Lead_emailNormalized_trgm_idx", "Lead_name_trgm_idx", "Lead_phoneNormalized_trgm_idx"]);
  for (const scan of scans) {
    // With the default 4 MB list this search read about 300 pages of the name index alone.
    expect(scan["Shared Hit Blocks"] + scan["Shared Read Blocks"], scan["Index Name"]).toBeLessThan(40);
  }
});
