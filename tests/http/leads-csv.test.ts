import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { api, baseUrl, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, leadHistory, type TestOrganization } from "../helpers/fixtures";

/** CSV export (GET /api/leads/export) and import (POST /api/leads/imports, GET /api/leads/imports/{id}). */

interface ImportReply {
  id: string;
  status: string;
  mode: string;
  mapping: Record<string, string>;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  failed: number;
  links: { self: string; failedRows: string };
}

async function rawGet(path: string, headers: Record<string, string>) {
  const response = await fetch(`${baseUrl()}${path}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Decoded keeping a BOM (Response.text() would drop it).
  return { status: response.status, headers: response.headers, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

async function postCsv(key: string, csv: string | Blob, query = "") {
  const response = await fetch(`${baseUrl()}/api/leads/imports${query}`, {
    method: "POST",
    headers: { "X-API-KEY": key, "Content-Type": "text/csv" },
    body: csv,
  });
  return { status: response.status, body: (await response.json()) as { success: boolean; data?: ImportReply; error?: { code: string; message: string; details: unknown } } };
}

/** Polls GET /api/leads/imports/{id} until the import has finished. */
async function waitForImport(key: string, id: string): Promise<ImportReply> {
  for (let i = 0; i < 600; i++) {
    const reply = await api("GET", `/api/leads/imports/${id}`, { key });
    expect(reply.status).toBe(200);
    const data = reply.body.data as ImportReply;
    if (data.status === "completed" || data.status === "failed") return data;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`import ${id} did not finish`);
}

const parse = (text: string) => Papa.parse<string[]>(text.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;

describe("GET /api/leads/export", () => {
  let org: TestOrganization;
  beforeAll(async () => {
    org = await createTestOrganization();
    await createTestLead(org, { name: "=HYPERLINK(\"http://evil.example\")", email: "formula@example.com", status: "won", value: "300" });
    await createTestLead(org, { name: "Smith, \"Jo\"\nSecond line", phone: "+1 415 555 2671", status: "won", value: "1200.5", company: "Ünïcode GmbH" });
    await createTestLead(org, { name: "Open one", status: "open", value: "999" });
    await createTestLead(org, { name: "Lost one", status: "lost", lossReason: "Budget" });
  });

  it("exports exactly the filtered, sorted view as RFC 4180 CSV with formulas defused", async () => {
    const reply = await rawGet("/api/leads/export?status=won&sort=value:desc", { "X-API-KEY": org.apiKey });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(reply.headers.get("content-disposition")).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(reply.text.startsWith("\ufeff")).toBe(false);
    expect(reply.text.split("\r\n")[0]).toBe(
      "id,name,email,phone,company,source,status,value,currency,loss_reason,created_at,updated_at,qualified_at,won_at,lost_at",
    );
    const rows = parse(reply.text);
    expect(rows).toHaveLength(3);
    expect(rows.slice(1).map((r) => [r[1], r[3], r[4], r[6], r[7]])).toEqual([
      ["Smith, \"Jo\"\nSecond line", "'+1 415 555 2671", "Ünïcode GmbH", "won", "1200.50"],
      ["'=HYPERLINK(\"http://evil.example\")", "", "", "won", "300.00"],
    ]);
    expect(rows[1]?.[13]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("adds a BOM for Excel when asked, and takes the list's search", async () => {
    const reply = await rawGet("/api/leads/export?search=lost&bom=1", { "X-API-KEY": org.apiKey });
    expect([...reply.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(reply.text.startsWith("\ufeffid,name,")).toBe(true);
    expect(parse(reply.text).slice(1).map((r) => [r[1], r[9]])).toEqual([["Lost one", "Budget"]]);
  });

  it("refuses a bad filter with the list's message, and a missing key", async () => {
    const bad = await api("GET", "/api/leads/export?status=done", { key: org.apiKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain("must be one of: open, qualified, won, lost");
    expect((await api("GET", "/api/leads/export")).status).toBe(401);
  });

  it("is the same for the app's session route, and keeps other organizations out", async () => {
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    const reply = await rawGet("/api/app/leads/export?status=open", { Cookie: cookie });
    expect(reply.status).toBe(200);
    expect(parse(reply.text).slice(1).map((r) => r[1])).toEqual(["Open one"]);
    const other = await createTestOrganization();
    const theirs = await rawGet("/api/leads/export", { "X-API-KEY": other.apiKey });
    expect(parse(theirs.text)).toHaveLength(1);
  });
});

describe("POST /api/leads/imports", () => {
  it("creates leads from a file with a BOM, semicolons and a quoted line break, through the create service", async () => {
    const org = await createTestOrganization();
    const csv = "\ufeffFull Name;E-mail;Phone;Company;Amount;Stage\r\n" +
      'Ada Lovelace;ada@fair.example;+44 20 7946 0958;"Analytical\nEngines";5000.50;qualified\r\n' +
      "Grace Hopper;grace@fair.example;(415) 555-2671;Navy;;won\r\n";
    const started = await postCsv(org.apiKey, csv, "?fileName=trade-show.csv");
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({
      status: "queued",
      mode: "create",
      totalRows: 2,
      mapping: { name: "Full Name", email: "E-mail", phone: "Phone", company: "Company", value: "Amount", status: "Stage" },
    });
    const done = await waitForImport(org.apiKey, started.body.data!.id);
    expect(done).toMatchObject({ status: "completed", processedRows: 2, created: 2, updated: 0, failed: 0 });

    const ada = await prisma.lead.findFirstOrThrow({ where: { organizationId: org.organizationId, emailNormalized: "ada@fair.example" } });
    expect(ada).toMatchObject({ name: "Ada Lovelace", company: "Analytical\nEngines", source: "import", status: "qualified", phoneNormalized: "+442079460958" });
    expect(ada.value?.toString()).toBe("5000.5");
    const { notes, events } = await leadHistory(ada.id);
    expect(notes.map((n) => n.body)).toEqual(["Imported from trade-show.csv (row 1)"]);
    expect(events[0]).toMatchObject({ type: "created", source: "import", actorType: "api_key", requestId: `${done.id}:1` });
  });

  it("reports bad rows with the API's messages and offers them as CSV; a failed row changes nothing", async () => {
    const org = await createTestOrganization();
    const csv = [
      "name,email,phone,value,status,notes",
      "Good One,good@bad-rows.example,,100,,first",
      "Bad Email,not-an-email,,,,",
      "Bad Value,value@bad-rows.example,,-5,,",
      "Bad Status,status@bad-rows.example,,,maybe,",
      "Bad Phone,phone@bad-rows.example,12abc,,,",
      "=cmd,,,,,",
    ].join("\n");
    const started = await postCsv(org.apiKey, csv, "?fileName=mixed.csv");
    const done = await waitForImport(org.apiKey, started.body.data!.id);
    expect(done).toMatchObject({ status: "completed", processedRows: 6, created: 2, failed: 4 });
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId } })).toBe(2);

    const report = await rawGet(done.links.failedRows, { "X-API-KEY": org.apiKey });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-disposition")).toContain('filename="mixed-failed-rows.csv"');
    expect(parse(report.text)).toEqual([
      ["name", "email", "phone", "value", "status", "notes", "import_row", "import_error"],
      ["Bad Email", "not-an-email", "", "", "", "", "2", "email: must be a valid e-mail address"],
      // Cells are formula-escaped here too; an import reads "'-5" back as "-5".
      ["Bad Value", "value@bad-rows.example", "", "'-5", "", "", "3", "value: must not be negative"],
      ["Bad Status", "status@bad-rows.example", "", "", "maybe", "", "4", "status: must be one of: open, qualified, won, lost"],
      ["Bad Phone", "phone@bad-rows.example", "12abc", "", "", "", "5", "phone: must be a phone number such as +1 415 555 2671"],
    ]);
    // The row "=cmd" became a lead named "=cmd": stored as given, escaped only when exported.
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId, name: "=cmd" } })).toBe(1);
  });

  it("updates on e-mail match and creates the rest; importing the same file again creates no duplicates", async () => {
    const org = await createTestOrganization();
    const existing = await createTestLead(org, { name: "Existing", email: "Known@Update.example", status: "open" });
    const csv = ["email,name,status,value", "known@update.example,Existing,won,2500", "new@update.example,Newcomer,qualified,100"].join("\n");
    const first = await waitForImport(org.apiKey, (await postCsv(org.apiKey, csv, "?mode=update&fileName=crm.csv")).body.data!.id);
    expect(first).toMatchObject({ status: "completed", created: 1, updated: 1, failed: 0 });
    const updated = await prisma.lead.findUniqueOrThrow({ where: { id: existing.id } });
    expect(updated).toMatchObject({ status: "won", version: 2 });
    expect(updated.value?.toString()).toBe("2500");
    const { notes, events } = await leadHistory(existing.id);
    expect(notes.at(-1)?.body).toBe("Imported from crm.csv (row 1)");
    expect(events.at(-1)).toMatchObject({ type: "updated", source: "import", changes: { status: { from: "open", to: "won" } } });

    const again = await waitForImport(org.apiKey, (await postCsv(org.apiKey, csv, "?mode=update&fileName=crm.csv")).body.data!.id);
    expect(again).toMatchObject({ status: "completed", created: 0, updated: 2, failed: 0 });
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId } })).toBe(2);

    // The same file in create mode does create duplicates: that is what the mode says.
    const created = await waitForImport(org.apiKey, (await postCsv(org.apiKey, csv, "?mode=create")).body.data!.id);
    expect(created).toMatchObject({ created: 2, updated: 0 });
  });

  it("follows the bulk-updates setting: an e-mail matching several leads fails its row unless bulk updates are allowed", async () => {
    const org = await createTestOrganization();
    await createTestLead(org, { name: "Twin 1", email: "twin@bulk.example" });
    await createTestLead(org, { name: "Twin 2", email: "twin@bulk.example" });
    const csv = "E-mail,Stage\ntwin@bulk.example,won\n";
    const done = await waitForImport(org.apiKey, (await postCsv(org.apiKey, csv, "?mode=update")).body.data!.id);
    expect(done).toMatchObject({ updated: 0, failed: 1 });
    const report = await rawGet(done.links.failedRows, { "X-API-KEY": org.apiKey });
    expect(parse(report.text)[1]?.[3]).toBe("2 leads match this email; identify one lead by id, or let an admin allow bulk updates");
    expect(await prisma.lead.count({ where: { organizationId: org.organizationId, status: "won" } })).toBe(0);

    const bulk = await createTestOrganization({ allowBulkUpdates: true });
    await createTestLead(bulk, { name: "Twin 1", email: "twin@bulk.example" });
    await createTestLead(bulk, { name: "Twin 2", email: "twin@bulk.example" });
    const allowed = await waitForImport(bulk.apiKey, (await postCsv(bulk.apiKey, csv, "?mode=update")).body.data!.id);
    expect(allowed).toMatchObject({ updated: 1, failed: 0 });
    expect(await prisma.lead.count({ where: { organizationId: bulk.organizationId, status: "won" } })).toBe(2);
  });

  it("takes an explicit mapping, and refuses bad parameters, empty files, forms and files over 50 MB", async () => {
    const org = await createTestOrganization();
    const mapping = encodeURIComponent(JSON.stringify({ name: "Nom", email: "Courriel" }));
    const mapped = await postCsv(org.apiKey, "Nom,Courriel,Autre\nMarie Curie,marie@map.example,x\n", `?mapping=${mapping}`);
    expect(mapped.status).toBe(202);
    expect(mapped.body.data?.mapping).toEqual({ name: "Nom", email: "Courriel" });
    expect(await waitForImport(org.apiKey, mapped.body.data!.id)).toMatchObject({ created: 1 });

    const unknown = await postCsv(org.apiKey, "Nom\nX\n", `?mapping=${encodeURIComponent('{"name":"Name"}')}`);
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_ERROR", message: 'mapping.name: the file has no column "Name"' } } });
    expect((await postCsv(org.apiKey, "name\nX\n", "?mode=merge")).body.error?.message).toBe("mode: must be one of: create, update");
    expect((await postCsv(org.apiKey, "")).body.error?.message).toBe("The file is empty: the first line must name the columns");
    expect((await postCsv(org.apiKey, "name,email\n")).body.error?.message).toBe("The file has a header line but no rows to import");
    const form = await api("POST", "/api/leads/imports", { key: org.apiKey, body: { name: "x" } });
    expect(form.status).toBe(400);

    const big = new Blob([new Uint8Array(50 * 1024 * 1024 + 10).fill(0x61)]);
    const tooLarge = await postCsv(org.apiKey, big);
    expect(tooLarge).toMatchObject({ status: 413, body: { success: false, error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await prisma.leadImport.count({ where: { organizationId: org.organizationId } })).toBe(1);
  });

  it("keeps imports to their organization", async () => {
    const org = await createTestOrganization();
    const other = await createTestOrganization();
    const started = await postCsv(org.apiKey, "name\nOnly mine\n");
    const id = started.body.data!.id;
    expect((await api("GET", `/api/leads/imports/${id}`, { key: other.apiKey })).status).toBe(404);
    expect((await rawGet(`/api/leads/imports/${id}/failed-rows`, { "X-API-KEY": other.apiKey })).status).toBe(404);
    expect((await api("GET", "/api/leads/imports/nonsense", { key: org.apiKey })).status).toBe(400);
    expect((await api("GET", `/api/leads/imports/${id}`)).status).toBe(401);
    await waitForImport(org.apiKey, id);
  });
});

describe("the app's import routes (session)", () => {
  it("uploads a draft with the recognised mapping, previews it with per-row errors, then runs it", async () => {
    const org = await createTestOrganization();
    await createTestLead(org, { name: "Known", email: "known@app-import.example" });
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    const csv = "Name,Email,Value,Status\nKnown,known@app-import.example,10,won\nNew,new@app-import.example,1.005,\nBroken,broken,abc,\n";
    // The CSRF rule takes the upload's text/csv, from the app's own origin only.
    const crossSite = await fetch(`${baseUrl()}/api/app/leads/imports?fileName=app.csv`, { method: "POST", headers: { Cookie: cookie, Origin: "https://evil.example", "Content-Type": "text/csv" }, body: csv });
    expect(crossSite.status).toBe(403);
    const plain = await fetch(`${baseUrl()}/api/app/leads/imports?fileName=app.csv`, { method: "POST", headers: { Cookie: cookie, Origin: baseUrl(), "Content-Type": "text/plain" }, body: csv });
    expect(plain.status).toBe(403);
    const response = await fetch(`${baseUrl()}/api/app/leads/imports?fileName=app.csv`, { method: "POST", headers: { Cookie: cookie, Origin: baseUrl(), "Content-Type": "text/csv" }, body: csv });
    expect(response.status).toBe(201);
    const draft = ((await response.json()) as { data: ImportReply & { suggestedMapping: Record<string, string> } }).data;
    expect(draft).toMatchObject({ status: "draft", totalRows: 3, suggestedMapping: { name: "Name", email: "Email", value: "Value", status: "Status" } });

    const body = { mode: "update", mapping: draft.suggestedMapping };
    const preview = await api("POST", `/api/app/leads/imports/${draft.id}/preview`, { cookie, body });
    expect(preview.status).toBe(200);
    expect((preview.body.data as { rows: unknown[] }).rows).toEqual([
      expect.objectContaining({ rowNumber: 1, action: "update", values: expect.objectContaining({ status: "won", value: "10.00" }) }),
      expect.objectContaining({ rowNumber: 2, action: "create", values: expect.objectContaining({ status: "open", value: "1.01", source: "import" }) }),
      expect.objectContaining({
        rowNumber: 3,
        action: "error",
        values: { name: "Broken", email: "broken", value: "abc" },
        message: 'email: must be a valid e-mail address; value: must be a number, e.g. 5000 or "5000.50"',
      }),
    ]);

    const started = await api("POST", `/api/app/leads/imports/${draft.id}/start`, { cookie, body });
    expect(started.status).toBe(202);
    const twice = await api("POST", `/api/app/leads/imports/${draft.id}/start`, { cookie, body });
    expect(twice.status).toBe(409);
    for (let i = 0; i < 300; i++) {
      const progress = await api("GET", `/api/app/leads/imports/${draft.id}`, { cookie });
      const data = progress.body.data as ImportReply;
      if (data.status === "completed") {
        expect(data).toMatchObject({ created: 1, updated: 1, failed: 1 });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const events = await prisma.leadEvent.findMany({ where: { organizationId: org.organizationId, source: "import" } });
    expect(events.map((e) => e.actorType)).toEqual(["user", "user"]);
  });
});
