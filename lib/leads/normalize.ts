import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/browser";
import { LeadStatus } from "@/lib/generated/prisma/enums";

const { Decimal } = Prisma;

/** Parsing and normalisation shared by the API, the app's forms and the service. Pure functions. */

/** The statuses of a lead, from Prisma's generated enum (browser-safe). */
export const LEAD_STATUSES = Object.values(LeadStatus) as [LeadStatus, ...LeadStatus[]];
export type LeadStatusValue = LeadStatus;
/** What PATCH /api/leads may set (the public contract has no way back to "open"). */
export const API_UPDATE_STATUSES = [LeadStatus.qualified, LeadStatus.won, LeadStatus.lost] as const;

export const MAX_VALUE = "999999999999.99";
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_LOSS_REASON_LENGTH = 500;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const PLAIN_DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A lead value: a number >= 0 or a string of one ("5000", " 5000.50 "), rounded to cents.
 * `null` clears the value. Thousands separators ("5,000", "1.000,50") are ambiguous and refused.
 * Returns the value as a decimal string ("5000.50") so it never passes through a float column.
 */
export function parseLeadValue(input: unknown): ParseResult<string | null> {
  if (input === null) return { ok: true, value: null };
  let plain: string | number;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, message: "must be a finite number" };
    if (input < 0) return { ok: false, message: "must not be negative" };
    plain = input;
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
  // Decimal arithmetic, never a float: a number is taken at its shortest exact form (10.555 -> "10.555").
  const rounded = new Decimal(plain).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (rounded.gt(MAX_VALUE)) return { ok: false, message: `must be at most ${MAX_VALUE}` };
  return { ok: true, value: rounded.toFixed(2) };
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
