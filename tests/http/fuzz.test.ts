import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { updateOrganizationSettings } from "@/lib/organizations/organizations";
import { createUser } from "@/lib/users/users";
import { baseUrl, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";

/**
 * Property-based tests against the built app (issue 8): generated bodies, query strings, path ids
 * and headers on PATCH, POST, GET list, GET by id and the settings routes. Every reply is a 2xx or
 * a 4xx in the JSON envelope, and a rejected request writes nothing (a checksum of the
 * organization's rows is the same before and after it: requests that may write run one at a
 * time, reads eight at a time). 2,000 inputs in all.
 */

let org: TestOrganization;
let leadIds: string[] = [];
const adminCookies: string[] = [];
let cookieTurn = 0;
let lastChecksum = "";

beforeAll(async () => {
  org = await createTestOrganization();
  // The fuzzer sends far more than the default 600 requests a minute.
  await updateOrganizationSettings(org.organizationId, { apiRateLimitPerMinute: 100_000 }, null);
  leadIds = [];
  for (let i = 0; i < 5; i++) leadIds.push((await createTestLead(org, { name: `Fuzz ${i}`, email: `fuzz-${i}@example.com`, phone: `+1 415 555 01${10 + i}` })).id);
  // The session routes' limit is per user (200/min in the test app): four admins share the settings load.
  adminCookies.push((await signIn(org.userEmail, TEST_PASSWORD))!);
  for (let i = 0; i < 3; i++) {
    const email = `fuzz-admin-${i}-${uniqueSuffix()}@example.com`;
    await createUser(org.organizationId, { name: `Fuzz admin ${i}`, email, password: TEST_PASSWORD, role: "admin" });
    adminCookies.push((await signIn(email, TEST_PASSWORD))!);
  }
  lastChecksum = await checksum();
}, 60_000);

/** Everything the organization owns, hashed; lastUsedAt of keys and the sessions are bookkeeping, not data. */
async function checksum(): Promise<string> {
  const [row] = await prisma.$queryRaw<{ sum: string }[]>`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(to_jsonb(o)::text, ',') FROM "Organization" o WHERE o."id" = ${org.organizationId}),
      (SELECT string_agg(to_jsonb(l)::text, ',' ORDER BY l."id") FROM "Lead" l WHERE l."organizationId" = ${org.organizationId}),
      (SELECT string_agg(to_jsonb(n)::text, ',' ORDER BY n."id") FROM "LeadNote" n WHERE n."organizationId" = ${org.organizationId}),
      (SELECT string_agg(to_jsonb(e)::text, ',' ORDER BY e."id") FROM "LeadEvent" e WHERE e."organizationId" = ${org.organizationId}),
      (SELECT string_agg((to_jsonb(u) - 'updatedAt')::text, ',' ORDER BY u."id") FROM "User" u WHERE u."organizationId" = ${org.organizationId}),
      (SELECT string_agg((to_jsonb(k) - 'lastUsedAt')::text, ',' ORDER BY k."id") FROM "ApiKey" k WHERE k."organizationId" = ${org.organizationId})
    )) AS sum`;
  return row!.sum;
}

/** A percent-encoding that also takes lone surrogates (as their WTF-8 bytes, which are not UTF-8). */
function encodeLoose(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((c) => (/[\uD800-\uDFFF]/.test(c) ? `%ED%${(0xa0 + ((c.charCodeAt(0) >> 6) & 0x1f)).toString(16)}%${(0x80 + (c.charCodeAt(0) & 0x3f)).toString(16)}` : encodeURIComponent(c))).join("");
  }
}

// --- arbitraries -------------------------------------------------------------------------------

const edgeStrings = fc.constantFrom("", " ", "\u0000", "a\u0000b", "\uD800", "x\uDFFFy", "😀", "\uFEFF", "%", "_", "\\", "%_\\", "'; DROP TABLE \"Lead\"; --", "null", "NaN", "Infinity", "1e309", "-0", "９９", "\u202E", "a".repeat(600), "0x10", "1,000.50", " 5000.50 ");
const text = fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 40 }), edgeStrings);
const edgeNumbers = fc.constantFrom(0, -0, -1, 0.005, 1e-320, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 999999999999.99, 1000000000000, 12.345, 2 ** 31, -(2 ** 31) - 1);
const number = fc.oneof(fc.double(), fc.integer(), edgeNumbers);
const deep = fc.integer({ min: 20, max: 200 }).map((depth) => {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
});
const anyValue = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 }), deep);
const leadField = (name: string, specific: fc.Arbitrary<unknown>) => fc.option(fc.oneof(specific, anyValue), { nil: undefined }).map((v) => [name, v] as const);
const statuses = fc.constantFrom("open", "qualified", "won", "lost", "WON", " lost ", "closed", "");

const leadBody = fc
  .tuple(
    leadField("id", fc.oneof(fc.constantFrom(...["lead_missing"]), fc.nat(4).map((i) => `__lead${i}`))),
    leadField("email", fc.oneof(fc.nat(4).map((i) => `fuzz-${i}@example.com`), fc.emailAddress())),
    leadField("phone", fc.oneof(fc.nat(4).map((i) => `+1 415 555 01${10 + i}`), fc.integer())),
    leadField("status", statuses),
    leadField("changedTo", statuses),
    leadField("value", number),
    leadField("note", text),
    leadField("lossReason", text),
    leadField("name", text),
    leadField("company", text),
    leadField("source", fc.constantFrom("webform", "api", "x y", "")),
    fc.dictionary(text, anyValue, { maxKeys: 2 }),
  )
  .map(([...fields]) => {
    const extra = fields.pop() as Record<string, unknown>;
    const body: Record<string, unknown> = { ...extra };
    for (const [name, value] of fields as (readonly [string, unknown])[]) if (value !== undefined) body[name] = value;
    return body;
  });

type Raw = { body: string | undefined; contentType: string | undefined };
const contentType = fc.constantFrom("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", undefined);
/** A body as bytes on the wire: mostly JSON of the object, sometimes anything at all. */
function raw(objects: fc.Arbitrary<unknown>): fc.Arbitrary<Raw> {
  const serialized = fc.oneof(
    { weight: 6, arbitrary: objects.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "[]", "null", '{"a":1}{', '{"note":"\\ud800"}', '{"__proto__":{"x":1}}', "\u0000", '{"id":"\\u0000"}') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.record({ body: serialized, contentType });
}

const apiKeyHeader = fc.oneof({ weight: 8, arbitrary: fc.constant("valid") }, { weight: 1, arbitrary: fc.constantFrom(undefined, "", "ll_nope", "Bearer x", "ll_" + "a".repeat(300)) });
const requestIdHeader = fc.option(fc.stringMatching(/^[\x20-\x7E]{0,140}$/), { nil: undefined });

// --- the request and its checks ----------------------------------------------------------------

interface Call {
  method: string;
  path: string;
  raw?: Raw;
  key?: string | undefined;
  cookie?: boolean;
  requestId?: string | undefined;
}

function resolveIds(text: string): string {
  return text.replace(/__lead(\d)/g, (_m, i: string) => leadIds[Number(i)] ?? "lead_missing");
}

async function send(call: Call): Promise<void> {
  const headers: Record<string, string> = { Origin: baseUrl() };
  if (call.key !== undefined) headers["X-API-KEY"] = call.key === "valid" ? org.apiKey : call.key;
  if (call.cookie) headers.Cookie = adminCookies[cookieTurn++ % adminCookies.length]!;
  if (call.raw?.contentType) headers["Content-Type"] = call.raw.contentType;
  if (call.requestId !== undefined) headers["X-Request-Id"] = call.requestId;
  const writes = call.method !== "GET";
  const response = await fetch(`${baseUrl()}${resolveIds(call.path)}`, {
    method: call.method,
    headers,
    body: call.raw?.body === undefined ? undefined : resolveIds(call.raw.body),
  });
  const textBody = await response.text();
  const label = `${call.method} ${call.path} ${JSON.stringify(call.raw ?? null).slice(0, 300)} -> ${response.status} ${textBody.slice(0, 300)}`;
  expect(response.status, label).toBeGreaterThanOrEqual(200);
  expect(response.status, label).toBeLessThan(500);
  let envelope: { success?: unknown; error?: { code?: unknown }; meta?: { requestId?: unknown } };
  try {
    envelope = JSON.parse(textBody) as typeof envelope;
  } catch {
    throw new Error(`not JSON: ${label}`);
  }
  expect(typeof envelope.success, label).toBe("boolean");
  expect(typeof envelope.meta?.requestId, label).toBe("string");
  if (response.status >= 400) {
    expect(envelope.success, label).toBe(false);
    expect(typeof envelope.error?.code, label).toBe("string");
  }
  if (writes) {
    // Writes run one at a time: the checksum after the previous one is this one's "before".
    const after = await checksum();
    if (response.status >= 400) expect(after, `a rejected request wrote something: ${label}`).toBe(lastChecksum);
    lastChecksum = after;
  }
}

/** Reads write nothing to compare: eight at a time. */
async function sendAll(calls: Call[]): Promise<void> {
  await Promise.all(calls.map(send));
}

const settings = { numRuns: 0, endOnFailure: true } as const;

describe("fuzzing the built app", () => {
  it("PATCH /api/leads (550 inputs)", async () => {
    await fc.assert(
      fc.asyncProperty(raw(leadBody), apiKeyHeader, requestIdHeader, async (body, key, requestId) => send({ method: "PATCH", path: "/api/leads", raw: body, key, requestId })),
      { ...settings, numRuns: 550 },
    );
  }, 120_000);

  it("POST /api/leads (350 inputs)", async () => {
    await fc.assert(
      fc.asyncProperty(raw(leadBody), apiKeyHeader, async (body, key) => send({ method: "POST", path: "/api/leads", raw: body, key })),
      { ...settings, numRuns: 350 },
    );
  }, 120_000);

  const queryParam = fc.tuple(fc.constantFrom("search", "status", "sort", "page", "limit", "email", "phone", "cursor", "x", ""), fc.oneof(text, number.map(String), statuses, fc.constantFrom("createdAt:desc", "value:asc", "name", "won,lost", "%", "%zz", "%E0%A4")));
  const listCall = fc.tuple(fc.array(queryParam, { maxLength: 4 }), apiKeyHeader).map(([params, key]): Call => {
    const query = params.map(([name, value]) => `${encodeLoose(name)}=${value.startsWith("%") ? value : encodeLoose(value)}`).join("&");
    return { method: "GET", path: `/api/leads?${query}`, key };
  });
  it("GET /api/leads with generated query strings (400 inputs)", async () => {
    await fc.assert(fc.asyncProperty(fc.array(listCall, { minLength: 8, maxLength: 8 }), sendAll), { ...settings, numRuns: 50 });
  }, 120_000);

  const pathId = fc.oneof(
    fc.nat(4).map((i) => `__lead${i}`),
    text.map(encodeLoose),
    fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%ED%A0%80", "lead_%2F..%2F", "..%2F..%2Fsettings", "a".repeat(500), "%C0%AF", "+", "%20"),
  );
  it("GET /api/leads/{id} with generated ids (304 inputs)", async () => {
    const byIdCall = fc.tuple(pathId, apiKeyHeader).map(([id, key]): Call => ({ method: "GET", path: `/api/leads/${id || "x"}`, key }));
    await fc.assert(fc.asyncProperty(fc.array(byIdCall, { minLength: 8, maxLength: 8 }), sendAll), { ...settings, numRuns: 38 });
  }, 120_000);

  const settingsBody = fc.record(
      {
        allowBulkUpdates: fc.oneof(fc.boolean(), anyValue),
        defaultPhoneCountry: fc.oneof(fc.constantFrom("US", "gb", "XX", "\u0000"), text),
        currency: fc.oneof(fc.constantFrom("USD", "eur", "ABC", "US\u0000"), text),
        apiRateLimitPerMinute: fc.oneof(fc.constantFrom(100_000, 0, -1, 1.5, 1e9), number),
        name: text,
        email: fc.oneof(fc.emailAddress(), text),
        password: fc.oneof(fc.constant(TEST_PASSWORD), text, fc.constant("p".repeat(201))),
        role: fc.oneof(fc.constantFrom("admin", "sales", "boss"), anyValue),
        active: fc.oneof(fc.constant(true), anyValue),
      },
      { requiredKeys: [] },
    );
  const settingsCall = fc.oneof(
    raw(settingsBody).map((r): Call => ({ method: "PATCH", path: "/api/settings/organization", raw: r, cookie: true })),
    raw(settingsBody).map((r): Call => ({ method: "POST", path: "/api/settings/users", raw: r, cookie: true })),
    raw(settingsBody).map((r): Call => ({ method: "POST", path: "/api/settings/api-keys", raw: r, cookie: true })),
    fc.tuple(pathId, raw(settingsBody)).map(([id, r]): Call => ({ method: "PATCH", path: `/api/settings/users/${id || "x"}`, raw: r, cookie: true })),
    pathId.map((id): Call => ({ method: "POST", path: `/api/settings/api-keys/${id || "x"}/revoke`, raw: { body: undefined, contentType: "application/json" }, cookie: true })),
    fc.constantFrom<Call>({ method: "GET", path: "/api/settings/users", cookie: true }, { method: "GET", path: "/api/settings/organization", cookie: true }),
  );
  it("the settings routes (400 inputs)", async () => {
    await fc.assert(
      fc.asyncProperty(settingsCall, async (call) => send(call)),
      { ...settings, numRuns: 400 },
    );
  }, 180_000);
});
