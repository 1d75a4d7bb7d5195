import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";

/** Parsing and normalisation shared by the API, the app's forms and the service. Pure functions. */

export const LEAD_STATUSES = ["open", "qualified", "won", "lost"] as const;
export type LeadStatusValue = (typeof LEAD_STATUSES)[number];
/** What PATCH /api/leads may set (the public contract has no way back to "open"). */
export const API_UPDATE_STATUSES = ["qualified", "won", "lost"] as const;

export const MAX_VALUE = "999999999999.99";
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_LOSS_REASON_LENGTH = 500;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const PLAIN_DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Compares two non-negative plain decimal strings. */
function compareDecimal(a: string, b: string): number {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const aInt = ai.replace(/^0+(?=\d)/, "");
  const bInt = bi.replace(/^0+(?=\d)/, "");
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  if (aInt !== bInt) return aInt < bInt ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const aFrac = af.padEnd(width, "0");
  const bFrac = bf.padEnd(width, "0");
  return aFrac === bFrac ? 0 : aFrac < bFrac ? -1 : 1;
}

/** Rounds a plain non-negative decimal string half-up to two places, without floating point. */
function roundToCents(plain: string): string {
  const [intPart = "0", fracPart = ""] = plain.split(".");
  const digits = (intPart === "" ? "0" : intPart) + fracPart.padEnd(3, "0").slice(0, 3);
  let cents = BigInt(digits.slice(0, -1));
  if (Number(digits.slice(-1)) >= 5) cents += BigInt(1);
  const s = cents.toString().padStart(3, "0");
  return `${s.slice(0, -2).replace(/^0+(?=\d)/, "")}.${s.slice(-2)}`;
}

/**
 * A lead value: a number >= 0 or a string of one ("5000", " 5000.50 "), rounded to cents.
 * `null` clears the value. Thousands separators ("5,000", "1.000,50") are ambiguous and refused.
 * Returns the value as a decimal string ("5000.50") so it never passes through a float column.
 */
export function parseLeadValue(input: unknown): ParseResult<string | null> {
  if (input === null) return { ok: true, value: null };
  let plain: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, message: "must be a finite number" };
    if (input < 0) return { ok: false, message: "must not be negative" };
    // Enough digits for any value up to the maximum; toFixed avoids exponent notation.
    plain = input > 1e15 ? "1000000000000000" : input.toFixed(6);
  } else if (typeof input === "string") {
    const trimmed = input.trim();
    if (trimmed === "") return { ok: false, message: "must not be empty; send null to clear the value" };
    if (trimmed.startsWith("-")) return { ok: false, message: "must not be negative" };
    if (trimmed.includes(",")) {
      return { ok: false, message: 'must be a plain number without thousands separators, e.g. "5000.50"' };
    }
    if (!PLAIN_DECIMAL.test(trimmed)) return { ok: false, message: 'must be a number, e.g. 5000 or "5000.50"' };
    plain = trimmed;
  } else {
    return { ok: false, message: 'must be a number, a numeric string such as "5000.50", or null' };
  }
  const rounded = roundToCents(plain);
  if (compareDecimal(rounded, MAX_VALUE) > 0) return { ok: false, message: `must be at most ${MAX_VALUE}` };
  return { ok: true, value: rounded };
}

/** Trimmed and lower-cased; refuses what is not an e-mail address. */
export function normalizeEmail(input: string): ParseResult<string> {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !z.email().safeParse(email).success) {
    return { ok: false, message: "must be a valid e-mail address" };
  }
  return { ok: true, value: email };
}

const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;

/**
 * E.164 form of a phone number. Numbers without a country code take the organization's default
 * country. Only the syntax is checked, not whether the number is assigned: integrators send
 * test numbers such as +1234567890, and a stored lead must stay matchable by what was stored.
 */
export function normalizePhone(input: string, defaultCountry: string): ParseResult<string> {
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (!PHONE_CHARACTERS.test(trimmed) || digits.length < 5 || digits.length > 15) {
    return { ok: false, message: "must be a phone number such as +1 415 555 2671" };
  }
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry.toUpperCase() as CountryCode);
  if (!parsed) return { ok: false, message: "must be a phone number such as +1 415 555 2671" };
  return { ok: true, value: parsed.number };
}

/** Digits only, for phone search. */
export function phoneDigits(input: string): string {
  return input.replace(/\D/g, "");
}
