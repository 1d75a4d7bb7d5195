import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { PROXY_HEADERS } from "@/lib/security/client-ip";
import { apiSecurityHeaders, newNonce, pageSecurityHeaders } from "@/lib/security/headers";

const PUBLIC_PAGES = ["/docs"];

/**
 * Runs before every page, and before the API routes that need it (the matcher below):
 *   - security headers (lib/security/headers.ts): a per-request CSP nonce for pages, no-store for the API;
 *   - X-Forwarded-For / X-Real-IP from the client are dropped unless LEADLINE_TRUST_PROXY is on
 *     (lib/security/client-ip.ts), so per-IP limits cannot be dodged by forging them;
 *   - an /api path with broken %-encoding gets 400 in the JSON envelope;
 *   - pages without a session cookie go to the sign-in page, remembering where the user was
 *     headed. An optimistic check only: every page, server action and session route still
 *     checks the user itself (lib/auth/session.ts), because a valid JWT may belong to a
 *     deactivated user or a signed-out session.
 */

function withHeaders<T extends Response>(response: T, headers: Record<string, string>): T {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function hasBrokenEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

function forwardedRequestHeaders(request: NextRequest, extra: Record<string, string> = {}): Headers {
  const headers = new Headers(request.headers);
  if (!env.LEADLINE_TRUST_PROXY) for (const name of PROXY_HEADERS) headers.delete(name);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    if (hasBrokenEncoding(pathname)) {
      const body = {
        success: false,
        error: { code: "VALIDATION_ERROR", message: "The request path has a malformed %-encoding", details: { issues: [{ field: "path", message: "has a malformed %-encoding" }] } },
        meta: { requestId: request.headers.get("x-request-id") ?? `req_${newNonce().replace(/[^A-Za-z0-9]/g, "").slice(0, 20)}`, timestamp: new Date().toISOString() },
      };
      return withHeaders(NextResponse.json(body, { status: 400 }), apiSecurityHeaders());
    }
    return withHeaders(NextResponse.next({ request: { headers: forwardedRequestHeaders(request) } }), apiSecurityHeaders(pathname));
  }

  const nonce = newNonce();
  const headers = pageSecurityHeaders(nonce);
  // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
  const requestHeaders = forwardedRequestHeaders(request, { "x-nonce": nonce, "Content-Security-Policy": headers["Content-Security-Policy"]! });
  // The API reference is public: integrators read it before they have an account.
  const isPublic = pathname === "/sign-in" || PUBLIC_PAGES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  if (isPublic || (await getToken({ req: request, secret: env.NEXTAUTH_SECRET }))) {
    return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
  }
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = "";
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return withHeaders(NextResponse.redirect(url), headers);
}

/**
 * Where the proxy runs. Running it costs about 1 ms of CPU per request (Next.js builds a second
 * request, tees the body and merges the headers; measured in docs/performance.md), so the API
 * skips it unless it has something to do:
 *   - a client-sent X-Forwarded-For or X-Real-IP (dropped above unless LEADLINE_TRUST_PROXY is on;
 *     without one, Next.js sets X-Forwarded-For to the socket's address itself);
 *   - a `%` in the path (a broken escape gets the JSON 400 above);
 *   - the routes that do not go through the API's wrappers: next-auth's, /api/health, /api/ready
 *     and /api/openapi.json.
 * Every other API reply gets its security headers from the wrappers (lib/api/with-api.ts).
 */
export const config = {
  matcher: [
    // Pages: everything but the API and Next's static files.
    "/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)",
    { source: "/api/:path*", has: [{ type: "header", key: "x-forwarded-for" }] },
    { source: "/api/:path*", has: [{ type: "header", key: "x-real-ip" }] },
    "/api/:path(.*%.*)",
    "/api/auth/:path*",
    "/api/health",
    "/api/ready",
    "/api/openapi.json",
  ],
};
