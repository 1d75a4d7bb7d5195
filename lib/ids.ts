import { randomInt } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

export type IdPrefix = "org" | "user" | "key" | "lead" | "note" | "evt" | "req" | "sess" | "imp" | "lr" | "wh" | "whd" | "whevt";

/** Prefixed random ids such as `lead_3hT9xQ2mKp7Vd1Ls`: readable in logs and URLs, unguessable. */
export function newId(prefix: IdPrefix, length = 16): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}_${out}`;
}
