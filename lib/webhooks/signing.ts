import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Signing secrets and the Leadline-Signature header (docs/webhooks.md). No database here. */

export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** `t=<unix seconds>,v1=<hex>` with one v1 per active secret (two during a rotation). */
export function signatureHeader(secrets: readonly string[], body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signPayload(secret, timestamp, body)}`)].join(",");
}

/**
 * What a receiver does (the same code is in docs/webhooks.md): true when one v1 signature
 * matches and the timestamp is within `toleranceSeconds` of now.
 */
export function verifySignature(secret: string, header: string, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body), "hex");
  return parts
    .filter(([k, v]) => k === "v1" && v !== undefined)
    .some(([, v]) => {
      const given = Buffer.from(v ?? "", "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
