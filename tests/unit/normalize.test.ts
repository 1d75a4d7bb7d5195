import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizePhone, parseLeadValue } from "@/lib/leads/normalize";

describe("parseLeadValue", () => {
  it.each([
    [5000, "5000.00"],
    [0, "0.00"],
    ["5000", "5000.00"],
    [" 5000.50 ", "5000.50"],
    ["10.555", "10.56"],
    [10.555, "10.56"],
    [1.005, "1.01"],
    ["0.004", "0.00"],
    [".5", "0.50"],
    ["007", "7.00"],
    [999999999999.99, "999999999999.99"],
    ["999999999999.994", "999999999999.99"],
  ])("accepts %j as %s", (input, expected) => {
    expect(parseLeadValue(input)).toEqual({ ok: true, value: expected });
  });

  it("accepts null as 'clear the value'", () => {
    expect(parseLeadValue(null)).toEqual({ ok: true, value: null });
  });

  it.each([
    ["abc"],
    [""],
    ["   "],
    [-1],
    ["-5"],
    ["5,000"],
    ["1.000,50"],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ["NaN"],
    ["Infinity"],
    ["1e3"],
    [1_000_000_000_000],
    ["1000000000000"],
    ["999999999999.995"],
    [true],
    [{ amount: 5 }],
    [[5]],
  ])("rejects %j", (input) => {
    expect(parseLeadValue(input).ok).toBe(false);
  });

  it("explains why a separator is refused", () => {
    const result = parseLeadValue("5,000");
    expect(result.ok === false && result.message).toMatch(/thousands separators/);
  });
});

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail("  John.Doe@Example.COM ")).toEqual({ ok: true, value: "john.doe@example.com" });
  });
  it.each(["not-an-email", "a@", "@b.co", "a b@c.co", ""])("rejects %j", (input) => {
    expect(normalizeEmail(input).ok).toBe(false);
  });
});

describe("normalizePhone", () => {
  it("reads +1 (234) 567-890 and +1234567890 as the same phone", () => {
    expect(normalizePhone("+1 (234) 567-890", "US")).toEqual({ ok: true, value: "+1234567890" });
    expect(normalizePhone("+1234567890", "US")).toEqual({ ok: true, value: "+1234567890" });
  });
  it("uses the organization's default country for national numbers", () => {
    expect(normalizePhone("(415) 555-2671", "US")).toEqual({ ok: true, value: "+14155552671" });
    expect(normalizePhone("020 7946 0018", "GB")).toEqual({ ok: true, value: "+442079460018" });
  });
  it("keeps an explicit country code whatever the default", () => {
    expect(normalizePhone("+44 20 7946 0018", "US")).toEqual({ ok: true, value: "+442079460018" });
  });
  it.each(["abc", "12", "call me maybe", "+1 415 555 2671 ext 5", "1234567890123456789"])("rejects %j", (input) => {
    expect(normalizePhone(input, "US").ok).toBe(false);
  });
});
