import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * CSRF rule of the session-authenticated routes (settings and /api/app/*): a request that can
 * change something (anything but GET, HEAD and OPTIONS) must
 *   - be `application/json` (a form or `text/plain` post from another site cannot be), and
 *   - come from the app's own origin: its `Origin` header, or when a browser sends none, its
 *     `Sec-Fetch-Site: same-origin`.
 * Anything else gets 403 FORBIDDEN. Server actions keep Next.js's own origin check.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins the app is served from: the configured public URL, and the one this request was addressed to. */
function ownOrigins(req: Request): Set<string> {
  const origins = new Set<string>();
  if (env.NEXTAUTH_URL) origins.add(new URL(env.NEXTAUTH_URL).origin);
  const host = req.headers.get("host");
  if (host) {
    const proto = env.LEADLINE_TRUST_PROXY ? (req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http") : new URL(req.url).protocol.replace(":", "");
    origins.add(`${proto}://${host}`.toLowerCase());
  }
  return origins;
}

export function isJsonContentType(value: string | null): boolean {
  return (value ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Throws 403 FORBIDDEN when a mutating request breaks the CSRF rule. `alsoAccept` lists other
 * content types a route takes (the import's `text/csv` upload): like JSON, none of them can be
 * sent cross-site without a CORS preflight, and the origin rule below still applies.
 */
export function assertSameOriginJson(req: Request, options: { alsoAccept?: readonly string[] } = {}): void {
  if (SAFE_METHODS.has(req.method)) return;
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!isJsonContentType(type) && !(options.alsoAccept ?? []).includes(type)) {
    throw new AppError("FORBIDDEN", "Requests that change data must be sent as application/json from the app itself", { reason: "CSRF" });
  }
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (!ownOrigins(req).has(origin.toLowerCase())) {
      throw new AppError("FORBIDDEN", "Cross-site request refused: it does not come from this app's origin", { reason: "CSRF" });
    }
    return;
  }
  if (req.headers.get("sec-fetch-site") !== "same-origin") {
    throw new AppError("FORBIDDEN", "Cross-site request refused: send an Origin header of this app", { reason: "CSRF" });
  }
}
