import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { api, baseUrl, callServerAction, patchLeads, signIn } from "../helpers/http";
import { TEST_PASSWORD, createTestLead, createTestOrganization, leadRow, uniqueSuffix, type TestOrganization } from "../helpers/fixtures";
import { SIGNED_IN_HOME } from "@/lib/security/callback-url";

/** Issue 8 against the built app: CSRF, headers, rate limits, sign-in limits, sessions, the text rule. */

let org: TestOrganization;
let adminCookie: string;

beforeAll(async () => {
  org = await createTestOrganization();
  adminCookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
  expect(adminCookie).toBeTruthy();
});

/** A sign-in attempt as the sign-in form makes it, from the client IP `ip` (the test app trusts X-Forwarded-For). */
async function attempt(email: string, password: string, ip: string) {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { "X-Forwarded-For": ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "X-Forwarded-For": ip },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const body = (await response.json()) as { url?: string; error?: { code: string; message: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body, signedIn: response.headers.getSetCookie().some((c) => c.includes("session-token=")) };
}

const randomIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

describe("CSRF on the session routes", () => {
  const newUser = () => ({ name: "Mallory", email: `mallory-${uniqueSuffix()}@example.com`, password: TEST_PASSWORD, role: "admin" });

  it("refuses a text/plain post from another site (the reported attack), and creates nobody", async () => {
    const body = newUser();
    const reply = await api("POST", "/api/settings/users", {
      cookie: adminCookie,
      rawBody: JSON.stringify(body),
      headers: { "Content-Type": "text/plain", Origin: "http://evil.example" },
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ success: false, error: { code: "FORBIDDEN", details: { reason: "CSRF" } } });
    expect(await prisma.user.findUnique({ where: { email: body.email } })).toBeNull();
  });

  it.each([
    ["JSON from another origin", { Origin: "http://evil.example" }],
    ["text/plain from the app's origin", { "Content-Type": "text/plain" }],
    ["JSON without Origin, cross-site", { Origin: "", "Sec-Fetch-Site": "cross-site" }],
  ])("refuses %s with 403 on the settings routes", async (_name, headers) => {
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ""));
    const withoutOrigin = "Origin" in headers && headers.Origin === "";
    for (const [method, path, body] of [
      ["POST", "/api/settings/users", newUser()],
      ["PATCH", "/api/settings/organization", { allowBulkUpdates: true }],
      ["POST", "/api/settings/api-keys", { name: "csrf" }],
    ] as const) {
      const init: RequestInit = {
        method,
        headers: { Cookie: adminCookie, "Content-Type": "application/json", ...(withoutOrigin ? {} : { Origin: baseUrl() }), ...clean },
        body: JSON.stringify(body),
      };
      const response = await fetch(`${baseUrl()}${path}`, init);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await response.json()).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
    }
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: org.organizationId } })).allowBulkUpdates).toBe(false);
  });

  it("accepts the same change as the app sends it: JSON, same origin (or Sec-Fetch-Site: same-origin)", async () => {
    expect((await api("PATCH", "/api/settings/organization", { cookie: adminCookie, body: { allowBulkUpdates: false } })).status).toBe(200);
    const noOrigin = await fetch(`${baseUrl()}/api/settings/organization`, {
      method: "PATCH",
      headers: { Cookie: adminCookie, "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ allowBulkUpdates: false }),
    });
    expect(noOrigin.status).toBe(200);
  });
});

describe("security headers", () => {
  it("pages: a CSP with a new nonce per request and no inline scripts, framing refused, nosniff, referrer and permissions policies", async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${baseUrl()}/sign-in`);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
      expect(nonce).toBeTruthy();
      nonces.push(nonce);
      expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
      // The app under test runs on http: no HSTS there.
      expect(response.headers.get("strict-transport-security")).toBeNull();
      // Every script tag of the page carries the nonce.
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("API replies: no-store (the new key reply above all), nosniff, no framing, a CSP that allows nothing", async () => {
    const created = await fetch(`${baseUrl()}/api/settings/api-keys`, {
      method: "POST",
      headers: { Cookie: adminCookie, "Content-Type": "application/json", Origin: baseUrl() },
      body: JSON.stringify({ name: `headers-${uniqueSuffix()}` }),
    });
    expect(created.status).toBe(201);
    const lead = await createTestLead(org);
    const patch = (extra: Record<string, string> = {}) =>
      fetch(`${baseUrl()}/api/leads`, {
        method: "PATCH",
        headers: { "X-API-KEY": org.apiKey, "Content-Type": "application/json", ...extra },
        body: JSON.stringify({ id: lead.id, note: "headers" }),
      });
    // Most API requests skip proxy.ts (its matcher): the route wrappers set the same headers on
    // every reply, success or error, 404 and 405 included. With an X-Forwarded-For the proxy runs too.
    const replies: [string, Response][] = [
      ["new key (admin route)", created],
      ["GET /api/leads", await fetch(`${baseUrl()}/api/leads`, { headers: { "X-API-KEY": org.apiKey } })],
      ["PATCH /api/leads", await patch()],
      ["PATCH /api/leads through the proxy", await patch({ "X-Forwarded-For": randomIp() })],
      ["401", await fetch(`${baseUrl()}/api/leads`, { headers: { "X-API-KEY": "ll_wrong" } })],
      ["400", await fetch(`${baseUrl()}/api/leads?limit=nope`, { headers: { "X-API-KEY": org.apiKey } })],
      ["405", await fetch(`${baseUrl()}/api/leads`, { method: "PUT", headers: { "X-API-KEY": org.apiKey } })],
      ["405 (otherMethods)", await fetch(`${baseUrl()}/api/settings/users`, { method: "DELETE", headers: { Cookie: adminCookie, Origin: baseUrl() } })],
      ["unknown path (404)", await fetch(`${baseUrl()}/api/nope`)],
      ["session route", await fetch(`${baseUrl()}/api/app/leads`, { headers: { Cookie: adminCookie } })],
      ["CSV export", await fetch(`${baseUrl()}/api/leads/export`, { headers: { "X-API-KEY": org.apiKey } })],
      ["health", await fetch(`${baseUrl()}/api/health`)],
    ];
    for (const [what, response] of replies) {
      await response.arrayBuffer();
      expect({ what, status: response.status, headers: pick(response.headers) }).toEqual({
        what,
        status: expect.any(Number),
        headers: {
          "cache-control": "no-store",
          "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
          "x-content-type-options": "nosniff",
          "x-frame-options": "DENY",
          "referrer-policy": "strict-origin-when-cross-origin",
        },
      });
    }
    expect(replies.map(([what, r]) => [what, r.status])).toEqual([
      ["new key (admin route)", 201],
      ["GET /api/leads", 200],
      ["PATCH /api/leads", 200],
      ["PATCH /api/leads through the proxy", 200],
      ["401", 401],
      ["400", 400],
      ["405", 405],
      ["405 (otherMethods)", 405],
      ["unknown path (404)", 404],
      ["session route", 200],
      ["CSV export", 200],
      ["health", 200],
    ]);
  });
});

describe("methods a route does not take", () => {
  it("get a 405 in the envelope with an Allow header, on the app's routes as on the public API", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/api/settings/users", "GET, POST"],
      ["GET", "/api/app/pipeline/move", "POST"],
      ["PUT", "/api/leads/imports", "POST"],
    ] as const) {
      const response = await fetch(`${baseUrl()}${path}`, { method, headers: { Cookie: adminCookie, Origin: baseUrl() } });
      expect({ path, status: response.status, allow: response.headers.get("allow") }).toEqual({ path, status: 405, allow });
      expect(await response.json()).toMatchObject({ success: false, error: { code: "METHOD_NOT_ALLOWED", details: { allowed: allow.split(", ") } } });
    }
  });
});

const SECURITY_HEADERS = ["cache-control", "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"];
const pick = (headers: Headers) => Object.fromEntries(SECURITY_HEADERS.map((name) => [name, headers.get(name)]));

describe("rate limits", () => {
  it("per API key: the organization's limit, RateLimit-* on every reply, then 429 RATE_LIMITED with Retry-After", async () => {
    const limited = await createTestOrganization();
    const cookie = (await signIn(limited.userEmail, TEST_PASSWORD))!;
    const set = await api("PATCH", "/api/settings/organization", { cookie, body: { apiRateLimitPerMinute: 3 } });
    expect(set.body.data).toMatchObject({ apiRateLimitPerMinute: 3 });

    const lead = await createTestLead(limited);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await api("GET", `/api/leads/${lead.id}`, { key: limited.apiKey }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(replies.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    for (const reply of replies) {
      expect(reply.headers.get("ratelimit-limit")).toBe("3");
      expect(Number(reply.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    }
    const over = replies[3]!;
    expect(over.body).toMatchObject({ success: false, error: { code: "RATE_LIMITED", details: { limit: 3 } } });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Over the limit, nothing is written.
    expect((await patchLeads(limited.apiKey, { id: lead.id, note: "over the limit" })).status).toBe(429);
    expect(await prisma.leadNote.count({ where: { leadId: lead.id } })).toBe(0);
    // Another key keeps its own counter.
    expect((await api("GET", "/api/leads?limit=1", { key: org.apiKey })).status).toBe(200);
    // Out-of-range limits are refused.
    for (const value of [0, 1.5, "600", 1_000_000]) {
      expect((await api("PATCH", "/api/settings/organization", { cookie, body: { apiRateLimitPerMinute: value } })).status).toBe(400);
    }
  });

  it("unauthenticated API calls carry the headers too (counted per client IP)", async () => {
    const reply = await api("GET", "/api/leads", { key: "ll_wrong" });
    expect(reply.status).toBe(401);
    expect(reply.headers.get("ratelimit-limit")).toBeTruthy();
  });

  it("per user on the session routes: 429 after the allowance, with the headers", async () => {
    const user = await createTestOrganization();
    const cookie = (await signIn(user.userEmail, TEST_PASSWORD))!;
    const first = await api("GET", "/api/settings/organization", { cookie });
    const limit = Number(first.headers.get("ratelimit-limit"));
    expect(limit).toBeGreaterThan(0);
    let remaining = Number(first.headers.get("ratelimit-remaining"));
    while (remaining > 0) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, remaining) }, () => fetch(`${baseUrl()}/api/settings/organization`, { headers: { Cookie: cookie } })));
      remaining = Math.min(...batch.map((r) => Number(r.headers.get("ratelimit-remaining"))));
    }
    const over = await api("GET", "/api/app/leads", { cookie });
    expect(over.status).toBe(429);
    expect(over.body.error?.code).toBe("RATE_LIMITED");
    expect(over.headers.get("retry-after")).toBeTruthy();

    // The lead form's server action counts against the same allowance, and says so on the form
    // (it once answered 500: the limiter, shared with the route handlers, rejected with their copy
    // of the library's class).
    const lead = await createTestLead(user, { name: "Limited form" });
    const values = { leadId: lead.id, expectedVersion: lead.version, status: "won", value: "", lossReason: "", note: "over the limit" };
    const saved = await callServerAction(`/leads/${lead.id}`, "updateLeadAction", [values], cookie);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('"ok":false');
    expect(saved.text).toMatch(/Too many requests: wait \d+ seconds/);
    expect((await leadRow(lead.id)).version).toBe(lead.version);
  }, 120_000);
});

describe("sign-in limits", () => {
  it("lock an account after 5 failures, the same way whether or not it exists, and refuse even the right password", async () => {
    const victim = await createTestOrganization();
    for (const email of [victim.userEmail, `nobody-${uniqueSuffix()}@example.com`]) {
      for (let i = 0; i < 5; i++) {
        const failed = await attempt(email, "wrong password", randomIp());
        expect(failed.status).toBe(401);
        expect(failed.body.url).toMatch(/error=CredentialsSignin/);
      }
      const limited = await attempt(email, email === victim.userEmail ? TEST_PASSWORD : "wrong password", randomIp());
      expect(limited.status).toBe(429);
      expect(limited.signedIn).toBe(false);
      expect(limited.body.url).toMatch(/error=RateLimited/);
      expect(limited.body.error).toMatchObject({ code: "RATE_LIMITED", message: "Too many sign-in attempts. Wait a few minutes, then try again." });
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(14 * 60);
    }
  }, 120_000);

  it("a good sign-in clears the account's failures", async () => {
    const user = await createTestOrganization();
    for (let i = 0; i < 4; i++) expect((await attempt(user.userEmail, "wrong", randomIp())).status).toBe(401);
    expect((await attempt(user.userEmail, TEST_PASSWORD, randomIp())).signedIn).toBe(true);
    for (let i = 0; i < 4; i++) expect((await attempt(user.userEmail, "wrong", randomIp())).status).toBe(401);
    expect((await attempt(user.userEmail, TEST_PASSWORD, randomIp())).signedIn).toBe(true);
  }, 120_000);

  it("limit one client IP across accounts, with a wider allowance", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    let status = 401;
    let failures = 0;
    while (status === 401 && failures < 60) {
      status = (await attempt(`spray-${uniqueSuffix()}@example.com`, "wrong", ip)).status;
      if (status === 401) failures++;
    }
    expect(status).toBe(429);
    expect(failures).toBe(50);
    // Other clients are not affected.
    expect((await attempt(org.userEmail, TEST_PASSWORD, randomIp())).signedIn).toBe(true);
  }, 180_000);
});

describe("sessions", () => {
  it("sign-out ends the session on the server: a kept cookie no longer works", async () => {
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(200);
    const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { Cookie: cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const out = await fetch(`${baseUrl()}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `${cookie}; ${csrfCookie}` },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    expect(out.status).toBe(200);
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(401);
    expect((await api("GET", "/api/settings/users", { cookie })).status).toBe(401);
  });

  it("end at their absolute lifetime, however active", async () => {
    const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(200);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: org.userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
    // createdAt is the database's clock, expiresAt the app's: equal to within a few seconds.
    expect(Math.abs(session.expiresAt.getTime() - session.createdAt.getTime() - 12 * 60 * 60 * 1000)).toBeLessThan(5_000);
    await prisma.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api("GET", "/api/app/leads", { cookie })).status).toBe(401);
  });
});

describe("callbackUrl", () => {
  it.each(["%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%5C%5Cevil.example", "%E0%A4%A", "%00"])(
    "?callbackUrl=%s never errors, and a signed-in user lands on the home page (SIGNED_IN_HOME)",
    async (value) => {
      const page = await fetch(`${baseUrl()}/sign-in?callbackUrl=${value}`, { redirect: "manual" });
      expect(page.status).toBeLessThan(500);
      const cookie = (await signIn(org.userEmail, TEST_PASSWORD))!;
      const signedIn = await fetch(`${baseUrl()}/sign-in?callbackUrl=${value}`, { redirect: "manual", headers: { Cookie: cookie } });
      expect(signedIn.status).toBe(307);
      expect(new URL(signedIn.headers.get("location")!, baseUrl()).toString()).toBe(`${baseUrl()}${SIGNED_IN_HOME}`);
    },
  );
});

describe("no input gives a 500", () => {
  it("a NUL or an unpaired surrogate in a body field, a query parameter or a path id is a 400 naming it", async () => {
    const lead = await createTestLead(org);
    const cases: [string, string, string | undefined, string][] = [
      ["PATCH", "/api/leads", JSON.stringify({ id: lead.id, note: "a\u0000b" }), "note"],
      ["PATCH", "/api/leads", `{"id": "${lead.id}", "status": "lost", "lossReason": "bad \\ud800 text"}`, "lossReason"],
      ["POST", "/api/leads", JSON.stringify({ name: "x\u0000" }), "name"],
      ["POST", "/api/leads", `{"company": "\\udc00"}`, "company"],
      ["GET", "/api/leads?search=a%00b", undefined, "search"],
      ["GET", "/api/leads/lead%00x", undefined, "id"],
    ];
    for (const [method, path, rawBody, field] of cases) {
      const reply = await api(method, path, { key: org.apiKey, rawBody });
      expect(reply.status, `${method} ${path}`).toBe(400);
      expect(reply.body.error).toMatchObject({ code: "VALIDATION_ERROR", details: { issues: [expect.objectContaining({ field })] } });
    }
    expect(await prisma.leadNote.count({ where: { leadId: lead.id } })).toBe(0);
    const settings = await api("PATCH", "/api/settings/organization", { cookie: adminCookie, rawBody: `{"currency": "US\\u0000"}` });
    expect(settings.status).toBe(400);
    expect(settings.body.error?.details).toMatchObject({ issues: [{ field: "currency" }] });
  });

  it("broken %-encoding in an /api/ path is a 400 in the envelope", async () => {
    for (const path of ["/api/leads/%ZZ", "/api/leads/%E0%A4%A", "/api/leads/%"]) {
      const reply = await api("GET", path, { key: org.apiKey });
      expect(reply.status, path).toBe(400);
      expect(reply.body).toMatchObject({ success: false, error: { code: "VALIDATION_ERROR" } });
    }
  });

  it("search treats %, _ and \\ as the characters they are", async () => {
    const tag = uniqueSuffix();
    await createTestLead(org, { name: `${tag} 100% Fresh` });
    await createTestLead(org, { name: `${tag} 100 Fresh` });
    await createTestLead(org, { name: `${tag} a_b` });
    await createTestLead(org, { name: `${tag} axb` });
    await createTestLead(org, { name: `${tag} back\\slash` });
    const names = async (search: string) =>
      ((await api("GET", `/api/leads?search=${encodeURIComponent(search)}`, { key: org.apiKey })).body.data as { name: string }[]).map((l) => l.name).sort();
    expect(await names(`${tag} 100%`)).toEqual([`${tag} 100% Fresh`]);
    expect(await names(`${tag} a_b`)).toEqual([`${tag} a_b`]);
    expect(await names(`${tag} back\\`)).toEqual([`${tag} back\\slash`]);
    expect(await names("%")).toEqual(expect.arrayContaining([`${tag} 100% Fresh`]));
    expect((await names("%")).every((name) => name.includes("%"))).toBe(true);
  });
});
