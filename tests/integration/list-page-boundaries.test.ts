import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { listLeads } from "@/lib/leads/list-leads";
import { BOUNDARY_TTL_MS, forgetPageBoundaries, REMEMBER_FROM_OFFSET } from "@/lib/leads/page-boundaries";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/**
 * Deep `page` requests start from the keyset position remembered for them (lib/leads/page-boundaries):
 * the same leads as offset paging while nothing changes, the same page again within the time to
 * live, and a fresh offset read after it.
 */

const COUNT = 1_400;
let org: TestOrganization;
const query = (raw: Record<string, string>) => listLeadsQuerySchema.parse({ limit: "100", ...raw });
const ids = (result: { leads: { id: string }[] }) => result.leads.map((lead) => lead.id);

/** Every lead of the list, by cursor (never by offset). */
async function byCursor(raw: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await listLeads(org.appCtx.organization, query(cursor ? { ...raw, cursor } : raw));
    out.push(...ids(page));
    cursor = page.pagination.nextCursor;
  } while (cursor);
  return out;
}

/** Every lead of the list, by page number. */
async function byPage(raw: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (let page = 1; ; page++) {
    const result = await listLeads(org.appCtx.organization, query({ ...raw, page: String(page) }));
    out.push(...ids(result));
    if (!result.pagination.hasMore) return out;
  }
}

async function addNewestLead(name: string): Promise<string> {
  const id = `lead_pb_new_${name}_${org.organizationId.slice(-6)}`;
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "status", "currency", "value", "createdAt", "updatedAt")
    VALUES (${id}, ${org.organizationId}, ${`Newest ${name}`}, 'open', 'USD', 999999, now() + interval '1 hour', now())`;
  return id;
}

beforeAll(async () => {
  org = await createTestOrganization();
  // Ties on createdAt (every tenth lead shares its neighbour's), values with NULLs, and two statuses.
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "status", "currency", "value", "createdAt", "updatedAt")
    SELECT 'lead_pb' || lpad(i::text, 5, '0') || substr(${org.organizationId}, 5, 6), ${org.organizationId}, 'Boundary ' || (i % 97),
      (CASE WHEN i % 5 = 0 THEN 'won' ELSE 'open' END)::"LeadStatus", 'USD',
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 50) * 10 END,
      timestamp '2026-01-01' + ((i - i % 10 / 9) * interval '1 minute'), now()
    FROM generate_series(1, ${COUNT}) AS i`;
});

afterEach(() => {
  vi.restoreAllMocks();
  forgetPageBoundaries();
});

describe("deep page requests", () => {
  it.each([
    ["the default sort", {}],
    ["value, descending, with NULLs last", { sort: "value:desc" }],
    ["name, ascending, filtered by status", { sort: "name:asc", status: "open" }],
  ])("walk %s to the end with the same leads, in the same order, as cursors", async (_label, raw: Record<string, string>) => {
    const expected = await byCursor(raw);
    expect(expected.length).toBeGreaterThan(REMEMBER_FROM_OFFSET);
    expect(await byPage(raw)).toEqual(expected);
    // Again, now from the remembered positions: still the same.
    expect(await byPage(raw)).toEqual(expected);
  });

  it("repeat themselves within the time to live, and read the offset afresh after it", async () => {
    const deep = query({ page: "11" }); // leads 1,001-1,100
    const shallow = query({ page: "2" }); // leads 101-200
    const deepBefore = ids(await listLeads(org.appCtx.organization, deep));
    const shallowBefore = ids(await listLeads(org.appCtx.organization, shallow));
    expect(deepBefore).toHaveLength(100);

    await addNewestLead("a");
    // A shallow page reads its offset every time: the new lead pushes it one place on.
    expect(ids(await listLeads(org.appCtx.organization, shallow)).slice(1)).toEqual(shallowBefore.slice(0, 99));
    // The deep page starts where it started.
    expect(ids(await listLeads(org.appCtx.organization, deep))).toEqual(deepBefore);

    vi.spyOn(Date, "now").mockReturnValue(Date.now() + BOUNDARY_TTL_MS + 1_000);
    const deepAfter = ids(await listLeads(org.appCtx.organization, deep));
    expect(deepAfter.slice(1)).toEqual(deepBefore.slice(0, 99));
  });

  it("continue a walk where the page before ended, even when a lead was added meanwhile", async () => {
    const inOrder = await byCursor({});
    const tenth = ids(await listLeads(org.appCtx.organization, query({ page: "10" }))); // leads 901-1,000
    expect(tenth).toEqual(inOrder.slice(900, 1000));
    await addNewestLead("c");
    // Offset 1,000 would now start one lead earlier (page 10's last lead again); the walk goes on after it.
    expect(ids(await listLeads(org.appCtx.organization, query({ page: "11" })))).toEqual(inOrder.slice(1000, 1100));
  });

  it("are remembered per list: another filter or organization reads its own offset", async () => {
    const deep = { page: "11" };
    const before = ids(await listLeads(org.appCtx.organization, query(deep)));
    await addNewestLead("b");
    // The same leads under another filter: not this list's position, so the new lead counts.
    const sameLeadsOtherFilter = ids(await listLeads(org.appCtx.organization, query({ ...deep, status: "open,won" })));
    expect(sameLeadsOtherFilter.slice(1)).toEqual(before.slice(0, 99));
    expect(ids(await listLeads(org.appCtx.organization, query(deep)))).toEqual(before);

    const other = await createTestOrganization();
    expect(ids(await listLeads(other.appCtx.organization, query(deep)))).toEqual([]);
  });
});
