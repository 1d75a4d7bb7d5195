import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { api, signIn } from "../helpers/http";
import { createTestLead, createTestOrganization, TEST_PASSWORD, type TestOrganization } from "../helpers/fixtures";

/**
 * Keyset (cursor) pages of GET /api/leads, the bounded `page`, the bounded total, and the lead's
 * history in pages. Leads are inserted with SQL so that sort keys tie and are NULL on purpose.
 */

interface Lead {
  id: string;
  name: string | null;
  value: number | null;
  createdAt: string;
  updatedAt: string;
}

interface Pagination {
  page: number | null;
  limit: number;
  total: number;
  totalIsEstimate: boolean;
  totalPages: number;
  hasMore: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
}

const COUNT = 31;
let org: TestOrganization;
let other: TestOrganization;

/** `count` leads whose names, values and timestamps repeat (ties), with some NULL names and values. */
async function insertLeads(organizationId: string, count: number, extra: { status?: string; name?: string } = {}) {
  await prisma.$executeRaw`
    INSERT INTO "Lead" ("id", "organizationId", "name", "status", "value", "currency", "createdAt", "updatedAt")
    SELECT 'lead_' || substr(md5(${organizationId} || i::text), 1, 16), ${organizationId},
      CASE WHEN ${extra.name ?? null}::text IS NOT NULL THEN ${extra.name ?? null}::text WHEN i % 6 = 0 THEN NULL ELSE 'tie ' || chr(97 + i % 3) END,
      coalesce(${extra.status ?? null}::text, 'open')::"LeadStatus",
      CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 3) * 100 END, 'USD',
      timestamp '2026-05-01 10:00' + (i % 5) * interval '1 minute', timestamp '2026-05-02 10:00' + (i % 2) * interval '1 minute'
    FROM generate_series(1, ${count}::int) AS i`;
}

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  await insertLeads(org.organizationId, COUNT);
});

const list = async (query: string, key = org.apiKey) => {
  const reply = await api("GET", `/api/leads${query}`, { key });
  expect(reply.status, JSON.stringify(reply.body.error)).toBe(200);
  return { leads: reply.body.data as Lead[], pagination: reply.body.meta.pagination as Pagination };
};

const SORTS = ["createdAt:desc", "createdAt:asc", "updatedAt:desc", "updatedAt:asc", "value:desc", "value:asc", "name:asc", "name:desc"];

function keyOf(lead: Lead, field: string): string | number | null {
  return field === "value" ? lead.value : field === "name" ? lead.name : field === "createdAt" ? lead.createdAt : lead.updatedAt;
}

describe("GET /api/leads with cursors", () => {
  it.each(SORTS)("%s: pages by nextCursor with no duplicates, no gaps, in order, NULLs last; prevCursor walks back", async (sort) => {
    const [field, dir] = sort.split(":") as [string, "asc" | "desc"];
    const pages: Lead[][] = [];
    const cursors: Pagination[] = [];
    let query = `?sort=${sort}&limit=4`;
    for (;;) {
      const { leads, pagination } = await list(query);
      pages.push(leads);
      cursors.push(pagination);
      expect(pagination).toMatchObject({ total: COUNT, totalIsEstimate: false, limit: 4 });
      if (!pagination.nextCursor) break;
      expect(pagination.hasMore).toBe(true);
      query = `?sort=${sort}&limit=4&cursor=${pagination.nextCursor}`;
    }
    const all = pages.flat();
    expect(all.map((l) => l.id).sort()).toEqual([...new Set(all.map((l) => l.id))].sort());
    expect(all).toHaveLength(COUNT);
    expect(pages).toHaveLength(Math.ceil(COUNT / 4));
    expect(cursors[0]?.prevCursor).toBeNull();

    // In order by the key; NULLs after every value, in both directions.
    const keys = all.map((l) => keyOf(l, field));
    const firstNull = keys.indexOf(null);
    if (firstNull >= 0) expect(keys.slice(firstNull).every((k) => k === null)).toBe(true);
    const values = keys.filter((k) => k !== null);
    const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(values).toEqual(dir === "asc" ? sorted : sorted.reverse());

    // The same order as offset pages (ties broken the same way).
    for (const n of [1, 2, Math.ceil(COUNT / 4)]) {
      const offset = await list(`?sort=${sort}&limit=4&page=${n}`);
      expect(offset.leads.map((l) => l.id)).toEqual(pages[n - 1]?.map((l) => l.id));
      expect(offset.pagination.page).toBe(n);
    }

    // Back from the last page by prevCursor: every page again, the same leads.
    let back = cursors.at(-1)?.prevCursor ?? null;
    for (let i = pages.length - 2; i >= 0; i--) {
      expect(back, `prevCursor of page ${i + 2}`).not.toBeNull();
      const { leads, pagination } = await list(`?sort=${sort}&limit=4&cursor=${back}`);
      expect(leads.map((l) => l.id)).toEqual(pages[i]?.map((l) => l.id));
      expect(pagination.hasMore).toBe(true);
      back = pagination.prevCursor;
    }
    expect(back).toBeNull();
  });

  it("offset pages carry a nextCursor that continues after them", async () => {
    const byPage = await list("?limit=5&page=2");
    const page3 = await list("?limit=5&page=3");
    const next = await list(`?limit=5&cursor=${byPage.pagination.nextCursor}`);
    expect(next.leads.map((l) => l.id)).toEqual(page3.leads.map((l) => l.id));
    expect(next.pagination.page).toBeNull();
  });

  it("bounds page depth to 10,000 leads, pointing to cursors", async () => {
    expect((await api("GET", "/api/leads?page=100&limit=100", { key: org.apiKey })).status).toBe(200);
    for (const query of ["?page=101&limit=100", "?page=201", "?page=10001&limit=1"]) {
      const reply = await api("GET", `/api/leads${query}`, { key: org.apiKey });
      expect(reply.status, query).toBe(400);
      expect(reply.body.error).toMatchObject({ code: "VALIDATION_ERROR", details: { issues: [{ field: "page" }] } });
      expect(reply.body.error?.message).toMatch(/cursor/);
    }
  });

  it("refuses a bad cursor, a cursor of another sort, and page with cursor", async () => {
    const { pagination } = await list("?limit=2&sort=value:desc");
    for (const query of [
      "?cursor=not-a-cursor",
      `?cursor=${Buffer.from('{"s":"value:desc","k":"drop table","i":"x","d":"a"}').toString("base64url")}`,
      `?cursor=${pagination.nextCursor}&sort=name:asc`,
      `?cursor=${pagination.nextCursor}&sort=value:desc&page=2`,
    ]) {
      const reply = await api("GET", `/api/leads${query}`, { key: org.apiKey });
      expect(reply.status, query).toBe(400);
      expect(reply.body.error?.code).toBe("VALIDATION_ERROR");
    }
  });

  it("a cursor reads only the key's organization", async () => {
    const { pagination } = await list("?limit=2");
    const theirs = await list(`?limit=2&cursor=${pagination.nextCursor}`, other.apiKey);
    expect(theirs.leads).toEqual([]);
    expect(theirs.pagination.total).toBe(0);
  });

  it("search matches %, _ and \\ literally", async () => {
    const own = await createTestOrganization();
    for (const name of ["Deal 50% off", "Deal 500 off", "snake_case", "snakeXcase", "back\\slash"]) await createTestLead(own, { name });
    const names = async (search: string) => (await list(`?search=${encodeURIComponent(search)}`, own.apiKey)).leads.map((l) => l.name);
    expect(await names("50%")).toEqual(["Deal 50% off"]);
    expect(await names("e_c")).toEqual(["snake_case"]);
    expect(await names("k\\s")).toEqual(["back\\slash"]);
    expect(await names("%")).toEqual(["Deal 50% off"]);
  });
});

describe("totals", () => {
  it("are exact up to 10,000 matches and an estimate above, flagged totalIsEstimate", async () => {
    const big = await createTestOrganization();
    await insertLeads(big.organizationId, 10_050);
    await prisma.$executeRaw`UPDATE "Lead" SET "status" = 'won' WHERE "organizationId" = ${big.organizationId} AND "value" = 200`;
    const wonCount = await prisma.lead.count({ where: { organizationId: big.organizationId, status: "won" } });

    const all = await list("?limit=10", big.apiKey);
    expect(all.pagination.totalIsEstimate).toBe(true);
    expect(all.pagination.total).toBeGreaterThan(10_000);
    expect(all.pagination.totalPages).toBe(Math.ceil(all.pagination.total / 10));
    expect(all.pagination.hasMore).toBe(true);

    const won = await list("?status=won&limit=10", big.apiKey);
    expect(won.pagination).toMatchObject({ total: wonCount, totalIsEstimate: false });

    // The app's route says the same, and adds up the value apart from the page.
    const cookie = (await signIn(big.userEmail, TEST_PASSWORD))!;
    const app = await api("GET", "/api/app/leads?limit=5", { cookie });
    expect(app.body.data).toMatchObject({ pagination: { totalIsEstimate: true }, currency: "USD" });
    const sum = await prisma.lead.aggregate({ where: { organizationId: big.organizationId }, _sum: { value: true } });
    const summary = await api("GET", "/api/app/leads/summary", { cookie });
    expect(summary.body.data).toEqual({ totalValue: Number(sum._sum.value), currency: "USD" });
  });
});

describe("GET /api/leads/{id} and /history", () => {
  interface HistoryPage {
    notes: { id: string; body: string; createdAt: string }[];
    events: { id: string; type: string; note: { id: string; body: string } | null; createdAt: string }[];
    nextCursor: string | null;
  }

  it("returns the newest 50 notes and events and pages older ones by cursor, with nothing lost or repeated", async () => {
    const lead = await createTestLead(org, { name: "Long history", note: "first note" });
    // 130 events (every third with its note), and 12 notes without an event, some at the same instant.
    await prisma.$executeRaw`
      WITH notes AS (
        INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "createdAt")
        SELECT 'note_h' || lpad(i::text, 4, '0'), ${org.organizationId}, ${lead.id}, 'note ' || i,
          timestamp '2030-01-01' + (i / 2) * interval '1 minute'
        FROM generate_series(1, 142) AS i WHERE i % 3 = 0 OR i > 130
        RETURNING "id", "createdAt")
      INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorName", "source", "noteId", "createdAt")
      SELECT 'evt_h' || lpad(i::text, 4, '0'), ${org.organizationId}, ${lead.id}, 'updated', '{}'::jsonb, 'system', 'Test', 'import',
        CASE WHEN i % 3 = 0 THEN 'note_h' || lpad(i::text, 4, '0') END, timestamp '2030-01-01' + (i / 2) * interval '1 minute'
      FROM generate_series(1, 130) AS i`;
    const [noteCount, eventCount] = await Promise.all([
      prisma.leadNote.count({ where: { leadId: lead.id } }),
      prisma.leadEvent.count({ where: { leadId: lead.id } }),
    ]);

    const first = await api("GET", `/api/leads/${lead.id}`, { key: org.apiKey });
    expect(first.status).toBe(200);
    const detail = first.body.data as HistoryPage & { historyCursor: string | null; name: string };
    expect(detail.name).toBe("Long history");
    expect(detail.events.length).toBeLessThanOrEqual(50);
    expect(detail.notes.length).toBeLessThanOrEqual(50);
    expect(Math.max(detail.events.length, detail.notes.length)).toBe(50);
    expect(detail.historyCursor).toEqual(expect.any(String));
    // An event shows the note written with it.
    expect(detail.events.find((e) => e.id === "evt_h0129")?.note).toEqual({ id: "note_h0129", body: "note 129" });

    const pages: HistoryPage[] = [{ notes: detail.notes, events: detail.events, nextCursor: detail.historyCursor }];
    let cursor = detail.historyCursor;
    while (cursor) {
      const reply = await api("GET", `/api/leads/${lead.id}/history?cursor=${cursor}`, { key: org.apiKey });
      expect(reply.status).toBe(200);
      const page = reply.body.data as HistoryPage;
      pages.push(page);
      cursor = page.nextCursor;
      expect(pages.length).toBeLessThan(20);
    }
    const notes = pages.flatMap((p) => p.notes);
    const events = pages.flatMap((p) => p.events);
    expect(new Set(notes.map((n) => n.id)).size).toBe(noteCount);
    expect(notes).toHaveLength(noteCount);
    expect(new Set(events.map((e) => e.id)).size).toBe(eventCount);
    expect(events).toHaveLength(eventCount);
    // Newest first across pages, with ties broken by id.
    const order = (xs: { id: string; createdAt: string }[]) =>
      xs.every((x, i) => i === 0 || xs[i - 1]!.createdAt > x.createdAt || (xs[i - 1]!.createdAt === x.createdAt && xs[i - 1]!.id > x.id));
    expect(order(notes)).toBe(true);
    expect(order(events)).toBe(true);
    // Each page is one stretch of time: the next page holds nothing newer than the current one's oldest.
    for (let i = 1; i < pages.length; i++) {
      const prev = [...pages[i - 1]!.notes, ...pages[i - 1]!.events].map((x) => x.createdAt).sort()[0]!;
      const newest = [...pages[i]!.notes, ...pages[i]!.events].map((x) => x.createdAt).sort().at(-1)!;
      expect(newest <= prev).toBe(true);
    }

    // The history without a cursor is the newest page.
    const newest = await api("GET", `/api/leads/${lead.id}/history`, { key: org.apiKey });
    expect((newest.body.data as HistoryPage).events.map((e) => e.id)).toEqual(detail.events.map((e) => e.id));

    // The app's session route serves the same pages.
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    const app = await api("GET", `/api/app/leads/${lead.id}/history?cursor=${detail.historyCursor}`, { cookie });
    expect(app.body.data).toEqual(pages[1]);
    expect((await api("GET", `/api/app/leads/${lead.id}/history`)).status).toBe(401);
  });

  it("a short history has no cursor", async () => {
    const lead = await createTestLead(org, { name: "Short", note: "hello" });
    const reply = await api("GET", `/api/leads/${lead.id}`, { key: org.apiKey });
    expect(reply.body.data).toMatchObject({ historyCursor: null, notes: [{ body: "hello" }] });
  });

  it("answers 404 for another organization's lead and 400 for a bad cursor", async () => {
    const theirs = await createTestLead(other);
    expect((await api("GET", `/api/leads/${theirs.id}/history`, { key: org.apiKey })).status).toBe(404);
    const mine = await createTestLead(org);
    const bad = await api("GET", `/api/leads/${mine.id}/history?cursor=nope`, { key: org.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("VALIDATION_ERROR");
    expect((await api("GET", `/api/leads/${mine.id}/history`)).status).toBe(401);
  });
});
