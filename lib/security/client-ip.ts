/**
 * The client's IP address, for per-IP limits. `next start` puts the socket's address in
 * X-Forwarded-For when the request has none. Unless LEADLINE_TRUST_PROXY is on, proxy.ts removes
 * any X-Forwarded-For the client sent, so the header holds the socket's address and cannot be
 * forged. Behind a TLS proxy that appends the client's address (nginx's
 * $proxy_add_x_forwarded_for, most load balancers), set LEADLINE_TRUST_PROXY=true: the last
 * entry, the one that proxy added, is used.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).at(-1);
  if (!last) return "unknown";
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) counts as the IPv4 address.
  return last.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1").slice(0, 64);
}

/** Request headers set by the client that only a trusted proxy may set. */
export const PROXY_HEADERS = ["x-forwarded-for", "x-real-ip"] as const;
