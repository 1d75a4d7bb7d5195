import { lookup } from "node:dns/promises";
import net from "node:net";

/**
 * SSRF protection for webhook URLs. A URL is resolved and every address it resolves to must be
 * public: loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast, unspecified and reserved ranges are refused. Checked when an endpoint is saved and
 * again before each delivery, which then connects to the very address that was checked (so a
 * DNS answer that changes in between cannot redirect it). `allowPrivate` (the setting
 * LEADLINE_WEBHOOKS_ALLOW_PRIVATE, tests and local development only) lifts the address rule and
 * also allows plain http.
 */

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network, unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b::", 96], // NAT64 (embeds an IPv4 address)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** Hosts of cloud metadata services, refused by name too. */
const BLOCKED_HOSTNAMES = new Set(["metadata.google.internal", "metadata", "metadata.azure.internal", "instance-data", "localhost"]);

export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped?.[1]) return !blocked.check(mapped[1], "ipv4");
    return !blocked.check(address, "ipv6");
  }
  return false;
}

export interface CheckedAddress {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type AddressCheck = { ok: true; target: CheckedAddress } | { ok: false; message: string };

/** Parses, resolves and checks a webhook URL. Never throws. */
export async function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): Promise<AddressCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "must be a full URL such as https://example.com/webhooks" };
  }
  const httpAllowed = options.allowPrivate && url.protocol === "http:";
  if (url.protocol !== "https:" && !httpAllowed) return { ok: false, message: "must be an https:// URL" };
  if (url.username || url.password) return { ok: false, message: "must not contain a user name or password" };
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (!host) return { ok: false, message: "must have a host name" };
  if (!options.allowPrivate && (BLOCKED_HOSTNAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".internal"))) {
    return { ok: false, message: `must not point to ${host}, an internal host` };
  }
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      return { ok: false, message: `the host ${host} could not be resolved` };
    }
  }
  if (addresses.length === 0) return { ok: false, message: `the host ${host} could not be resolved` };
  if (!options.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      return { ok: false, message: `resolves to ${refused.address}, a loopback, private, link-local or metadata address, which webhooks may not reach` };
    }
  }
  const [first] = addresses;
  if (!first) return { ok: false, message: `the host ${host} could not be resolved` };
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
