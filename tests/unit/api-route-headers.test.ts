import { describe, expect, it } from "vitest";
import { config } from "@/proxy";
import { apiRouteFiles } from "../helpers/api-routes";

/**
 * Every API reply carries the security headers: most API requests skip proxy.ts, so each route
 * either sends all its replies through the API's wrappers (lib/api/with-api.ts, which set them) or
 * is one of the routes the proxy's matcher always runs for. A new route that does neither would
 * answer without them; this finds it before a request does.
 */

const METHOD = "(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)";
const WRAPPERS = ["withApiKey", "withSession", "withAdmin", "methodNotAllowed"];

function routeFiles(): { route: string; source: string }[] {
  return apiRouteFiles().map(({ segments, source }) => ({ route: ["/api", ...segments].join("/"), source }));
}

/** The proxy's plain API sources ("/api/health", "/api/auth/:path*"): the routes it runs for whatever the request. */
const proxied = config.matcher.filter((m): m is string => typeof m === "string" && m.startsWith("/api/") && !m.includes("("));

const matches = (source: string, route: string) =>
  source.endsWith("/:path*") ? route.startsWith(source.slice(0, -"/:path*".length) + "/") : route === source;
const coveredByProxy = (route: string) => proxied.some((source) => matches(source, route));

/** The route's exported handlers that do not go through a wrapper, by method. */
function unwrappedHandlers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(new RegExp(`export (?:async )?function ${METHOD}\\b`, "g"))) out.push(m[1]!);
  for (const m of source.matchAll(new RegExp(`export const ${METHOD} = (\\w+)`, "g"))) if (!WRAPPERS.includes(m[2]!)) out.push(m[1]!);
  // Re-exported local handlers (`export { notFound as GET }`) must set the headers themselves.
  for (const m of source.matchAll(new RegExp(`(\\w+) as ${METHOD}\\b`, "g"))) {
    const body = source.match(new RegExp(`function ${m[1]}\\b[^]*?\\n}`))?.[0] ?? "";
    if (!body.includes("withSecurityHeaders(")) out.push(m[2]!);
  }
  return out;
}

describe("API routes and the security headers", () => {
  const routes = routeFiles();

  it("finds the routes (the scan works)", () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(["/api/leads", "/api/health", "/api/[...path]"]));
  });

  it("every route outside the proxy's list answers only through the wrappers, which set the headers", () => {
    const offenders = routes.filter((r) => !coveredByProxy(r.route)).flatMap((r) => unwrappedHandlers(r.source).map((method) => `${method} ${r.route}`));
    expect(offenders).toEqual([]);
  });

  it("the proxy's list holds only routes that exist and have no wrapper", () => {
    for (const source of proxied) {
      const matching = routes.filter((r) => matches(source, r.route));
      expect(matching.length, source).toBeGreaterThan(0);
      for (const r of matching) expect(unwrappedHandlers(r.source).length, r.route).toBeGreaterThan(0);
    }
  });

  it("every wrapped route answers every method itself: a 405 in the envelope, never Next.js's bare one", () => {
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    const exported = (source: string) => [
      ...[...source.matchAll(new RegExp(`export const ${METHOD} =`, "g"))].map((m) => m[1]!),
      ...[...source.matchAll(/export const \{([^}]*)\} = otherMethods\(/g)].flatMap((m) => m[1]!.split(",").map((name) => name.trim())),
      ...[...source.matchAll(new RegExp(`\\w+ as ${METHOD}\\b`, "g"))].map((m) => m[1]!),
    ];
    const missing = routes
      .filter((r) => !coveredByProxy(r.route))
      .flatMap((r) => methods.filter((method) => !exported(r.source).includes(method)).map((method) => `${method} ${r.route}`));
    expect(missing).toEqual([]);
  });

  it("the check itself catches an unwrapped handler", () => {
    expect(unwrappedHandlers("export async function GET() {}")).toEqual(["GET"]);
    expect(unwrappedHandlers("export const POST = handler;")).toEqual(["POST"]);
    expect(unwrappedHandlers("export const PATCH = withApiKey(async () => x);")).toEqual([]);
    expect(unwrappedHandlers("function nf(req) {\n  return jsonError(id);\n}\nexport { nf as GET };")).toEqual(["GET"]);
    expect(unwrappedHandlers("function nf(req) {\n  return withSecurityHeaders(req, x);\n}\nexport { nf as GET };")).toEqual([]);
  });
});
