import bcrypt from "bcryptjs";
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import os from "node:os";

/**
 * Password hashing with Node's scrypt, which runs on libuv's thread pool: a sign-in never blocks
 * the event loop that serves every other request. Stored as `scrypt$N$r$p$salt$hash` (base64url).
 * At most MAX_CONCURRENT_HASHES run at once (the rest wait their turn): one core less than the
 * machine has (at least one, at most four), so a burst of sign-in attempts always leaves a core
 * to the requests of everyone else, and never takes much memory (N=2^15, r=8: 32 MiB each).
 *
 * Hashes of earlier versions (bcrypt, `$2…`) still verify; sign-in re-hashes them with scrypt
 * (needsRehash). bcrypt only reads 72 bytes, scrypt reads everything: passwords are limited to
 * MAX_PASSWORD_LENGTH characters and longer ones are refused, never silently cut.
 */

export const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are refused (400 when set, a failed sign-in when tried): nothing is truncated. */
export const MAX_PASSWORD_LENGTH = 200;

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(4, os.availableParallelism() - 1));

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than MAX_CONCURRENT_HASHES hashes are running. */
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return limited(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new Error(`Passwords are limited to ${MAX_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parseScrypt(hash: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const parts = hash.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p || !Number.isInteger(N) || N > 2 ** 20 || r > 32 || p > 16) return null;
  return { N, r, p, salt: Buffer.from(parts[4] ?? "", "base64url"), key: Buffer.from(parts[5] ?? "", "base64url") };
}

export function isLegacyHash(hash: string): boolean {
  return hash.startsWith("$2");
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (isLegacyHash(hash)) return bcrypt.compare(password, hash);
  const parsed = parseScrypt(hash);
  if (!parsed || parsed.key.length === 0) return false;
  const key = await derive(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when a verified hash should be replaced (bcrypt, or weaker scrypt parameters than today's). */
export function needsRehash(hash: string): boolean {
  const parsed = parseScrypt(hash);
  return !parsed || parsed.N < PARAMS.N || parsed.r < PARAMS.r || parsed.p < PARAMS.p;
}
