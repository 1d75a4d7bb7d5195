import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUtcTimestamp, toIsoString, toIsoStringOrNull } from "@/lib/iso-time";

/** What the fast paths replace: the built-ins. */
const builtInParse = (text: string) => new Date(`${text.replace(" ", "T")}Z`);

/** A UTC instant as PostgreSQL prints a `timestamp`: "YYYY-MM-DD HH:MM:SS", then "." and 1-6 digits unless the fraction is zero. */
function postgresText(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}`;
}

const YEAR_1000 = Date.UTC(1000, 0, 1);
const YEAR_10000 = Date.UTC(10000, 0, 1);

describe("toIsoString", () => {
  it("gives what Date#toISOString gives, for every date it can represent", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(toIsoString(new Date(ms))).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("is exact at the edges: day, month, leap-year and century boundaries, and the years it hands over", () => {
    const instants = [
      0, -1, 1, YEAR_1000, YEAR_1000 - 1, YEAR_10000, YEAR_10000 - 1, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 2, 1),
      Date.UTC(1900, 1, 28, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2024, 11, 31, 23, 59, 59, 999), Date.UTC(2100, 1, 28, 12),
    ];
    for (const ms of instants) expect(toIsoString(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it("throws the built-in's RangeError for an invalid date", () => {
    expect(() => toIsoString(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("maps null to null", () => {
    expect(toIsoStringOrNull(null)).toBeNull();
    expect(toIsoStringOrNull(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
  });
});

describe("parseUtcTimestamp", () => {
  it("reads PostgreSQL's timestamp text as the built-in does, with 0-6 fraction digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: YEAR_1000, max: YEAR_10000 - 1 }), fc.integer({ min: 0, max: 999 }), (ms, micros) => {
        const text = postgresText(ms, micros);
        expect(parseUtcTimestamp(text).getTime()).toBe(builtInParse(text).getTime());
        expect(parseUtcTimestamp(text).getTime()).toBe(ms);
      }),
      { numRuns: 20_000 },
    );
  });

  it("hands anything else to the built-in: other years, impossible fields, other shapes", () => {
    const texts = [
      "0999-12-31 23:59:59.999", "12345-01-01 00:00:00", "infinity", "-infinity", "2026-02-29 00:00:00", "2024-02-29 12:00:00",
      "2026-04-31 00:00:00", "2026-13-01 00:00:00", "2026-01-01 24:00:00", "2026-01-01 00:60:00", "2026-01-01 00:00:00.",
      "2026-01-01T00:00:00", "2026-1-01 00:00:00", "2026-01-01 00:00:00.1234567", "2026-01-01 00:00:0a", "", "2026-01-01 00:00:00 BC",
    ];
    for (const text of texts) expect(parseUtcTimestamp(text).getTime(), text).toEqual(builtInParse(text).getTime());
  });

  it("agrees with the built-in on arbitrary strings of a timestamp's length", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789-: .T"), minLength: 17, maxLength: 28 }), (text) => {
        expect(parseUtcTimestamp(text).getTime()).toEqual(builtInParse(text).getTime());
      }),
      { numRuns: 20_000 },
    );
  });
});
