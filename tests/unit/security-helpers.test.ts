import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { escapeLike } from "@/lib/leads/escape-like";
import { clientIp } from "@/lib/security/client-ip";
import { assertSameOriginJson } from "@/lib/security/csrf";
import { contentSecurityPolicy } from "@/lib/security/headers";
import { secretProblems, shouldSeedDemo } from "@/lib/security/production-check";
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from "@/lib/users/passwords";

describe("passwords", () => {
  it("are hashed with scrypt in the documented format, salted, and verified", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword("correct horse battery")).not.toBe(hash);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterz", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it("still verify bcrypt hashes, which are marked for re-hashing", async () => {
    const legacy = await bcrypt.hash("old-password", 4);
    expect(await verifyPassword("old-password", legacy)).toBe(true);
    expect(await verifyPassword("other-password", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
  });

  it("never truncate: passwords differing after 72 bytes differ, and over-long ones are refused", async () => {
    const base = "x".repeat(100);
    const hash = await hashPassword(`${base}A`);
    expect(await verifyPassword(`${base}B`, hash)).toBe(false);
    await expect(hashPassword("y".repeat(MAX_PASSWORD_LENGTH + 1))).rejects.toThrow(/limited/);
    expect(await verifyPassword("y".repeat(MAX_PASSWORD_LENGTH + 1), hash)).toBe(false);
  });

  it("refuse malformed stored hashes instead of throwing", async () => {
    for (const broken of ["", "scrypt$1$1$1$$", "scrypt$99999999$8$1$abc$def", "plain"]) expect(await verifyPassword("x", broken)).toBe(false);
  });
});

describe("client IP", () => {
  it("is the last X-Forwarded-For entry (the one the trusted proxy or the server added)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.1.1.1, 10.0.0.2" }))).toBe("10.0.0.2");
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});

describe("CSRF rule", () => {
  const req = (method: string, headers: Record<string, string>) => new Request("http://app.example/api/settings/users", { method, headers: { host: "app.example", ...headers } });
  it("lets reads through, and same-origin JSON changes", () => {
    expect(() => assertSameOriginJson(req("GET", {}))).not.toThrow();
    expect(() => assertSameOriginJson(req("POST", { "content-type": "application/json; charset=utf-8", origin: "http://app.example" }))).not.toThrow();
    expect(() => assertSameOriginJson(req("PATCH", { "content-type": "application/json", "sec-fetch-site": "same-origin" }))).not.toThrow();
  });
  it.each([
    ["text/plain from the same origin", { "content-type": "text/plain", origin: "http://app.example" }],
    ["a form post", { "content-type": "application/x-www-form-urlencoded", origin: "http://app.example" }],
    ["JSON from another origin", { "content-type": "application/json", origin: "http://evil.example" }],
    ["JSON from a null origin", { "content-type": "application/json", origin: "null" }],
    ["JSON with no origin, cross-site", { "content-type": "application/json", "sec-fetch-site": "cross-site" }],
    ["JSON with neither header", { "content-type": "application/json" }],
  ])("refuses %s with 403", (_name, headers) => {
    expect(() => assertSameOriginJson(req("POST", headers))).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });
  it("accepts a route's own file type from the app's origin only, and only where the route takes it", () => {
    const csv = { "content-type": "text/csv" };
    expect(() => assertSameOriginJson(req("POST", { ...csv, origin: "http://app.example" }), ["text/csv"])).not.toThrow();
    expect(() => assertSameOriginJson(req("POST", { ...csv, origin: "https://evil.example" }), ["text/csv"])).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(() => assertSameOriginJson(req("POST", { ...csv, origin: "http://app.example" }))).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(() => assertSameOriginJson(req("POST", { "content-type": "text/plain", origin: "http://app.example" }), ["text/csv"])).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
  });
});

describe("small rules", () => {
  it("escapeLike makes %, _ and \\ literal", () => {
    expect(escapeLike("100%_a\\b")).toBe("100\\%\\_a\\\\b");
    expect(escapeLike("plain")).toBe("plain");
  });
  it("the demo is seeded only on the embedded database unless LEADLINE_SEED_DEMO says otherwise", () => {
    expect(shouldSeedDemo(undefined, true)).toBe(true);
    expect(shouldSeedDemo(undefined, false)).toBe(false);
    expect(shouldSeedDemo(true, false)).toBe(true);
    expect(shouldSeedDemo(false, true)).toBe(false);
  });
  it("production needs a session secret of 32+ characters", () => {
    expect(secretProblems(undefined)).toHaveLength(1);
    expect(secretProblems("x".repeat(31))).toHaveLength(1);
    expect(secretProblems("x".repeat(32))).toEqual([]);
  });
  it("the page CSP allows scripts only with the request's nonce", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
