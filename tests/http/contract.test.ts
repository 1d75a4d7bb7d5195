import { beforeAll, describe, expect, it } from "vitest";
import { idempotencyRequestHash } from "@/lib/api/idempotency";
import { claimIdempotencyKey } from "@/lib/api/idempotency-store";
import { MAX_BODY_BYTES } from "@/lib/api/with-api";
import { MAX_IMPORT_BYTES } from "@/lib/imports/upload";
import { updateOrganizationSettings } from "@/lib/organizations/organizations";
import { baseUrl } from "../helpers/http";
import { schemaValidator, type OpenApiLike } from "../helpers/openapi";
import { createTestLead, createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/**
 * The contract test: real requests to the built app, each reply checked against the schema that
 * the served OpenAPI document gives for that operation and status. Every documented status of
 * every operation must be exercised here (but 429, which needs the rate limiter's window, and
 * 500, which needs a fault), so code and document cannot drift apart.
 */

type Responses = Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }>;
const CSV = "text/csv";
type Document = OpenApiLike & { paths: Record<string, Record<string, { responses: Responses }>> };

let document: Document;
let validator: ReturnType<typeof schemaValidator>;
let org: TestOrganization;
let bulkOff: TestOrganization;
const covered = new Set<string>();
const NOT_PRODUCIBLE_HERE = new Set(["429", "500"]);

beforeAll(async () => {
  const response = await fetch(`${baseUrl()}/api/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
  document = (await response.json()) as Document;
  validator = schemaValidator(document);
  [org, bulkOff] = await Promise.all([createTestOrganization(), createTestOrganization({ allowBulkUpdates: false })]);
});

interface Call {
  method: string;
  /** The request path. */
  url: string;
  /** The documented path template it belongs to. */
  template: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string | Blob;
  headers?: Record<string, string>;
}

/**
 * Sends the call and checks its reply against the document; returns the parsed body (the text
 * of a CSV reply, whose documented media type must be text/csv).
 */
async function check(call: Call, expectedStatus: number): Promise<unknown> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.key !== null) headers["X-API-KEY"] = call.key ?? org.apiKey;
  if (call.body !== undefined || call.rawBody !== undefined) headers["Content-Type"] ??= "application/json";
  const response = await fetch(`${baseUrl()}${call.url}`, {
    method: call.method,
    headers,
    body: call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
  });
  const isCsv = response.headers.get("content-type")?.startsWith(CSV) ?? false;
  const body: unknown = isCsv ? await response.text() : await response.json();
  const where = `${call.method} ${call.url} -> ${response.status} ${JSON.stringify(body).slice(0, 300)}`;
  expect(response.status, where).toBe(expectedStatus);

  const operation = document.paths[call.template]?.[call.method.toLowerCase()];
  const status = String(response.status);
  let schema: unknown;
  if (operation) {
    const documented = operation.responses[status];
    expect(documented, `${where}: status not documented`).toBeDefined();
    expect(Object.keys(documented!.content ?? {}), `${where}: media type not documented`).toContain(isCsv ? CSV : "application/json");
    schema = documented!.content?.[isCsv ? CSV : "application/json"]?.schema;
    for (const header of Object.keys(documented!.headers ?? {})) {
      if (header.startsWith("RateLimit-") || header === "Retry-After" || header === "Idempotent-Replayed") continue;
      expect(response.headers.get(header), `${where}: header ${header}`).not.toBeNull();
    }
    covered.add(`${call.method.toLowerCase()} ${call.template} ${status}`);
  } else {
    // A method the route does not take (405) or a path with no route (404): the generic error reply of that status.
    schema = { $ref: `#/components/schemas/Error${status}` };
  }
  expect(schema, `${where}: no schema`).toBeDefined();
  expect(validator.schema(schema, body), where).toBeNull();
  if (isCsv) expect(response.headers.get("x-request-id"), where).toMatch(/\S/);
  else expect(response.headers.get("x-request-id"), where).toBe((body as { meta: { requestId: string } }).meta.requestId);
  return body;
}

const idempotencyKey = (label: string) => `contract-${label}-${Math.random().toString(36).slice(2)}`;

describe("contract: PATCH /api/leads", () => {
  const patch = (body: unknown, extra: Partial<Call> = {}): Call => ({ method: "PATCH", url: "/api/leads", template: "/api/leads", body, ...extra });

  it("200: updated, and 200 again as a replay", async () => {
    const lead = await createTestLead(org, { email: `c-${Math.random()}@example.com` });
    await check(patch({ id: lead.id, status: "won", value: "15000.50", note: "Signed" }), 200);
    await check(patch({ email: lead.email, changedTo: "LOST", lossReason: "Budget" }, { headers: { Authorization: `Bearer ${org.apiKey}` }, key: null }), 200);
    const key = idempotencyKey("patch");
    await check(patch({ id: lead.id, note: "once" }, { headers: { "Idempotency-Key": key } }), 200);
    await check(patch({ id: lead.id, note: "once" }, { headers: { "Idempotency-Key": key } }), 200);
  });

  it("400: invalid field, invalid JSON, no identifier, bad Idempotency-Key", async () => {
    await check(patch({ id: "lead_x", status: "done" }), 400);
    await check(patch(undefined, { rawBody: "{not json" }), 400);
    await check(patch({ status: "won" }), 400);
    await check(patch({ id: "lead_x" }, { headers: { "Idempotency-Key": "k".repeat(256) } }), 400);
  });

  it("401: no key, and an unknown key", async () => {
    await check(patch({ id: "lead_x" }, { key: null }), 401);
    await check(patch({ id: "lead_x" }, { key: "ll_not_a_real_key_000000000000000000000" }), 401);
  });

  it("404: nothing matches", async () => {
    await check(patch({ id: "lead_doesnotexist", status: "won" }), 404);
  });

  it("409: several matches with bulk updates off, and a key still in flight", async () => {
    const email = `shared-${Math.random()}@example.com`;
    await createTestLead(bulkOff, { email });
    await createTestLead(bulkOff, { email });
    await check(patch({ email, status: "qualified" }, { key: bulkOff.apiKey }), 409);

    const key = idempotencyKey("inflight");
    const lead = await createTestLead(org);
    const body = { id: lead.id, note: "in flight" };
    // Another instance holds the key and is still running this very request.
    await claimIdempotencyKey({ organizationId: org.organizationId, key, requestHash: idempotencyRequestHash("PATCH", "/api/leads", body), claimToken: "other-instance" });
    await check(patch(body, { headers: { "Idempotency-Key": key } }), 409);
  });

  it("200: a dry run, that would succeed and that would be refused", async () => {
    const lead = await createTestLead(org, { email: `dry-${Math.random()}@example.com` });
    const ok = (await check(patch({ id: lead.id, status: "won", dryRun: true }), 200)) as { data: { dryRun: boolean; wouldSucceed: boolean } };
    expect(ok.data).toMatchObject({ dryRun: true, wouldSucceed: true });
    const email = `dry-shared-${Math.random()}@example.com`;
    await createTestLead(bulkOff, { email });
    await createTestLead(bulkOff, { email });
    const refused = (await check(patch({ email, status: "won", onMultiple: "error", dryRun: true }, { key: bulkOff.apiKey }), 200)) as {
      data: { wouldSucceed: boolean; error: { status: number } };
    };
    expect(refused.data).toMatchObject({ wouldSucceed: false, error: { status: 409 } });
  });

  it('403: onMultiple "all" where bulk updates are off', async () => {
    const lead = await createTestLead(bulkOff, { email: `forbid-${Math.random()}@example.com` });
    await check(patch({ email: lead.email, status: "won", onMultiple: "all" }, { key: bulkOff.apiKey }), 403);
  });

  it("409: more matches than the organization's maximum, with details.maxBulkMatches", async () => {
    const small = await createTestOrganization({ allowBulkUpdates: true });
    await updateOrganizationSettings(small.organizationId, { maxBulkMatches: 2 }, null);
    const email = `max-${Math.random()}@example.com`;
    for (let i = 0; i < 3; i++) await createTestLead(small, { email });
    const reply = (await check(patch({ email, status: "won", onMultiple: "all" }, { key: small.apiKey }), 409)) as { error: { details: unknown } };
    expect(reply.error.details).toEqual({ matchCount: 3, maxBulkMatches: 2 });
  });

  it("413: a body over 1 MB", async () => {
    await check(patch(undefined, { rawBody: JSON.stringify({ id: "x", note: "n".repeat(MAX_BODY_BYTES) }) }), 413);
  });

  it("422: the same Idempotency-Key with another body", async () => {
    const lead = await createTestLead(org);
    const key = idempotencyKey("reuse");
    await check(patch({ id: lead.id, note: "first" }, { headers: { "Idempotency-Key": key } }), 200);
    await check(patch({ id: lead.id, note: "second" }, { headers: { "Idempotency-Key": key } }), 422);
  });

  it("405: a method the route does not take", async () => {
    await check({ method: "PUT", url: "/api/leads", template: "/api/leads", body: {} }, 405);
    await check({ method: "DELETE", url: "/api/leads/lead_x", template: "/api/leads/{id}" }, 405);
  });
});

describe("contract: POST /api/leads", () => {
  const post = (body: unknown, extra: Partial<Call> = {}): Call => ({ method: "POST", url: "/api/leads", template: "/api/leads", body, ...extra });

  it("201: created, and 201 again as a replay", async () => {
    await check(post({ name: "Ada Lovelace", email: "ada@analytical.example", phone: "(415) 555-2671", value: 1500, source: "webform", note: "Demo" }), 201);
    const key = idempotencyKey("post");
    await check(post({ phone: 4155552671 }, { headers: { "Idempotency-Key": key } }), 201);
    await check(post({ phone: 4155552671 }, { headers: { "Idempotency-Key": key } }), 201);
  });

  it("400, 401, 409, 413 and 422", async () => {
    await check(post({ company: "Nobody" }), 400);
    await check(post({ name: "x" }, { key: null }), 401);
    const key = idempotencyKey("post-inflight");
    const body = { name: "Running" };
    await claimIdempotencyKey({ organizationId: org.organizationId, key, requestHash: idempotencyRequestHash("POST", "/api/leads", body), claimToken: "other-instance" });
    await check(post(body, { headers: { "Idempotency-Key": key } }), 409);
    await check(post(undefined, { rawBody: JSON.stringify({ name: "n".repeat(MAX_BODY_BYTES) }) }), 413);
    const reused = idempotencyKey("post-reuse");
    await check(post({ name: "One" }, { headers: { "Idempotency-Key": reused } }), 201);
    await check(post({ name: "Two" }, { headers: { "Idempotency-Key": reused } }), 422);
  });
});

describe("contract: GET /api/leads and /api/leads/{id}", () => {
  it("200 with filters and pagination, 400 on a bad query, 401 without a key", async () => {
    await createTestLead(org, { name: "Listed", status: "qualified", value: "10" });
    await check({ method: "GET", url: "/api/leads?search=list&status=open,qualified&sort=value:desc&limit=10&page=1", template: "/api/leads" }, 200);
    await check({ method: "GET", url: "/api/leads", template: "/api/leads" }, 200);
    await check({ method: "GET", url: "/api/leads?limit=1000", template: "/api/leads" }, 400);
    await check({ method: "GET", url: "/api/leads?sort=colour", template: "/api/leads" }, 400);
    await check({ method: "GET", url: "/api/leads", template: "/api/leads", key: null }, 401);
  });

  it("200 with notes and events, 404 for an unknown or another organization's lead, 401 without a key", async () => {
    const lead = await createTestLead(org, { name: "Detailed", note: "First call" });
    await check({ method: "PATCH", url: "/api/leads", template: "/api/leads", body: { id: lead.id, status: "lost", lossReason: "Budget", note: "No" } }, 200);
    await check({ method: "GET", url: `/api/leads/${lead.id}`, template: "/api/leads/{id}" }, 200);
    await check({ method: "GET", url: "/api/leads/lead_doesnotexist", template: "/api/leads/{id}" }, 404);
    await check({ method: "GET", url: `/api/leads/${lead.id}`, template: "/api/leads/{id}", key: bulkOff.apiKey }, 404);
    await check({ method: "GET", url: `/api/leads/${lead.id}`, template: "/api/leads/{id}", key: null }, 401);
  });

  it("200 by cursor and by requestId", async () => {
    const first = (await check({ method: "GET", url: "/api/leads?limit=1", template: "/api/leads" }, 200)) as {
      meta: { pagination: { nextCursor: string | null } };
    };
    expect(first.meta.pagination.nextCursor).not.toBeNull();
    await check({ method: "GET", url: `/api/leads?limit=1&cursor=${encodeURIComponent(first.meta.pagination.nextCursor!)}`, template: "/api/leads" }, 200);
    const lead = await createTestLead(org);
    const requestId = `contract-${Math.random().toString(36).slice(2)}`;
    await check({ method: "PATCH", url: "/api/leads", template: "/api/leads", body: { id: lead.id, status: "won" }, headers: { "X-Request-Id": requestId } }, 200);
    const changed = (await check({ method: "GET", url: `/api/leads?requestId=${requestId}`, template: "/api/leads" }, 200)) as { data: { id: string }[] };
    expect(changed.data.map((l) => l.id)).toEqual([lead.id]);
    await check({ method: "GET", url: "/api/leads?page=2&cursor=abc", template: "/api/leads" }, 400);
  });

  it("GET /api/leads/{id}/history: 200 by page, 400 on a bad cursor, 404 for an unknown lead, 401 without a key", async () => {
    const lead = await createTestLead(org, { name: "Historic", note: "First" });
    const template = "/api/leads/{id}/history";
    const page = (await check({ method: "GET", url: `/api/leads/${lead.id}/history`, template }, 200)) as { data: { nextCursor: string | null } };
    expect(page.data.nextCursor).toBeNull();
    await check({ method: "GET", url: `/api/leads/${lead.id}/history?cursor=not-a-cursor`, template }, 400);
    await check({ method: "GET", url: "/api/leads/lead_doesnotexist/history", template }, 404);
    await check({ method: "GET", url: `/api/leads/${lead.id}/history`, template, key: null }, 401);
  });

  it("404 in the envelope for a path with no route", async () => {
    await check({ method: "GET", url: "/api/nothing-here", template: "/api/nothing-here" }, 404);
  });
});

describe("contract: CSV export and import", () => {
  const csvPost = (query: string, csv: string | Blob, extra: Partial<Call> = {}): Call => ({
    method: "POST",
    url: `/api/leads/imports${query}`,
    template: "/api/leads/imports",
    rawBody: csv,
    headers: { "Content-Type": "text/csv" },
    ...extra,
  });

  it("GET /api/leads/export: 200 as text/csv, 400 on a bad query, 401 without a key", async () => {
    await createTestLead(org, { name: "Exported" });
    const csv = (await check({ method: "GET", url: "/api/leads/export?search=export&sort=name:asc", template: "/api/leads/export" }, 200)) as string;
    expect(csv).toMatch(/^id,name,email/);
    expect(csv).toContain("Exported");
    await check({ method: "GET", url: "/api/leads/export?sort=colour", template: "/api/leads/export" }, 400);
    await check({ method: "GET", url: "/api/leads/export", template: "/api/leads/export", key: null }, 401);
  });

  it("POST /api/leads/imports: 202, 400, 401 and 413; then GET its progress and its failed rows", async () => {
    const mapping = encodeURIComponent(JSON.stringify({ name: "Nom", email: "Courriel" }));
    const created = (await check(csvPost(`?mode=create&fileName=contract.csv&mapping=${mapping}`, "Nom,Courriel\nAda,ada@contract.example\nBad,not-an-email\n"), 202)) as {
      data: { id: string; links: { self: string; failedRows: string } };
    };
    await check(csvPost("?mode=merge", "name\nX\n"), 400);
    await check(csvPost("", "name\nX\n", { key: null }), 401);
    await check(csvPost("", new Blob([new Uint8Array(MAX_IMPORT_BYTES + 10).fill(0x61)])), 413);

    const { id, links } = created.data;
    expect(links.self).toBe(`/api/leads/imports/${id}`);
    // Poll until the background job is done, each reply checked against the document.
    let status = "queued";
    for (let i = 0; i < 200 && status !== "completed" && status !== "failed"; i++) {
      const progress = (await check({ method: "GET", url: links.self, template: "/api/leads/imports/{id}" }, 200)) as { data: { status: string } };
      status = progress.data.status;
      if (status !== "completed" && status !== "failed") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe("completed");
    await check({ method: "GET", url: "/api/leads/imports/not-an-id", template: "/api/leads/imports/{id}" }, 400);
    await check({ method: "GET", url: "/api/leads/imports/imp_doesnotexist0", template: "/api/leads/imports/{id}" }, 404);
    await check({ method: "GET", url: links.self, template: "/api/leads/imports/{id}", key: bulkOff.apiKey }, 404);
    await check({ method: "GET", url: links.self, template: "/api/leads/imports/{id}", key: null }, 401);

    const failed = (await check({ method: "GET", url: links.failedRows, template: "/api/leads/imports/{id}/failed-rows" }, 200)) as string;
    expect(failed.split(/\r?\n/)[0]).toBe("Nom,Courriel,import_row,import_error");
    expect(failed).toContain("not-an-email");
    await check({ method: "GET", url: "/api/leads/imports/not-an-id/failed-rows", template: "/api/leads/imports/{id}/failed-rows" }, 400);
    await check({ method: "GET", url: "/api/leads/imports/imp_doesnotexist0/failed-rows", template: "/api/leads/imports/{id}/failed-rows" }, 404);
    await check({ method: "GET", url: links.failedRows, template: "/api/leads/imports/{id}/failed-rows", key: null }, 401);
  });
});

describe("contract: coverage", () => {
  it("produced and checked every documented reply of every operation (runs last)", () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        Object.keys(operation.responses)
          .filter((status) => !NOT_PRODUCIBLE_HERE.has(status))
          .map((status) => `${method} ${path} ${status}`),
      ),
    );
    const missing = documented.filter((entry) => entry !== "get /api/openapi.json 200" && !covered.has(entry));
    expect(missing, "documented replies the contract test never produced").toEqual([]);
  });
});
