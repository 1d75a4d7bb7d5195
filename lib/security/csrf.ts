import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * CSRF rule of the session-authenticated routes (settings and /api/app/*): a request that can
 * change something (anything but GET, HEAD and OPTIONS) must
 *   - be `application/json` (a form or `text/plain` post from another site cannot be), and
 *   - come from the app's own origin: its `Origin` header, or when a browser sends none, its
 *     `Sec-Fetch-Site: same-origin`.
 * Anything else gets 403 FORBIDDEN. Server actions keep Next.js's own origin check.
 * A route that takes a file may accept its own type too (the import's `text/csv`): like JSON, it
 * is not a type a cross-site form can send, so a browser would need CORS's preflight for it.
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

const mediaType = (value: string | null) => (value ?? "").split(";")[0]!.trim().toLowerCase();

export function isJsonContentType(value: string | null): boolean {
  return mediaType(value) === "application/json";
}

/** Throws 403 FORBIDDEN when a mutating request breaks the CSRF rule. */
export function assertSameOriginJson(req: Request, alsoAccept: readonly string[] = []): void {
  if (SAFE_METHODS.has(req.method)) return;
  const type = req.headers.get("content-type");
  if (!isJsonContentType(type) && !alsoAccept.includes(mediaType(type))) {
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
