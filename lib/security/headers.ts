/**
 * The security headers of every reply, in one place. proxy.ts applies them to pages and to the API
 * routes it runs for; the API's route wrappers (lib/api/with-api.ts) apply the same ones to every
 * reply of theirs, as most API requests skip the proxy (see its matcher). Pages get a
 * Content-Security-Policy with a fresh nonce per request (Next.js puts it on its own scripts):
 * scripts run only from this origin with that nonce. To allow something more, add it to
 * CSP_DIRECTIVES here, never to a page.
 */
import { env } from "@/lib/env";

const DEV = env.NODE_ENV === "development";

/** True when the app's public URL is https: HSTS is sent, and insecure subresources are upgraded. */
export function servedOverHttps(): boolean {
  return env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

/** The page CSP's directives; `{nonce}` is replaced per request. */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  "default-src": ["'self'"],
  // 'strict-dynamic': scripts the nonce'd scripts load are trusted; nothing inline without the nonce.
  // React's development build needs eval for its error overlays (never in production).
  "script-src": ["'self'", "'nonce-{nonce}'", "'strict-dynamic'", ...(DEV ? ["'unsafe-eval'"] : [])],
  // Inline style attributes (charts, the API reference page) need 'unsafe-inline'; styles cannot run code.
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  "connect-src": ["'self'", ...(DEV ? ["ws:"] : [])],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

export function contentSecurityPolicy(nonce: string): string {
  const directives = Object.entries(CSP_DIRECTIVES).map(([name, values]) => `${name} ${values.join(" ").replaceAll("{nonce}", nonce)}`);
  if (servedOverHttps()) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** Headers of every reply, pages and API alike. */
function commonHeaders(): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
    ...(servedOverHttps() ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function pageSecurityHeaders(nonce: string): Record<string, string> {
  return { ...commonHeaders(), "Content-Security-Policy": contentSecurityPolicy(nonce) };
}

/** API replies: never cached (one of them shows a new API key), and never rendered as a page. */
/** API replies that hold nothing private and may be cached (the public OpenAPI document sets its own Cache-Control). */
const PUBLIC_API_PATHS = new Set(["/api/openapi.json"]);

export function apiSecurityHeaders(pathname = ""): Record<string, string> {
  const headers: Record<string, string> = { ...commonHeaders(), "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };
  if (!PUBLIC_API_PATHS.has(pathname)) headers["Cache-Control"] = "no-store";
  return headers;
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
