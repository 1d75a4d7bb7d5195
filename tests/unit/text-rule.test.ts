import { describe, expect, it } from "vitest";
import { findTextIssue, MAX_NESTING_DEPTH, textProblem } from "@/lib/security/text";

describe("the text rule", () => {
  it("accepts any valid Unicode text, paired surrogates (emoji) included", () => {
    for (const text of ["", "plain", "Müller – 北京 😀", "tab\tand\nnewline", "\uD83D\uDE00", "\uFFFF"]) expect(textProblem(text)).toBeNull();
  });

  it("refuses a NUL character and unpaired surrogates, high or low, anywhere", () => {
    for (const text of ["\u0000", "a\u0000b", "end\u0000"]) expect(textProblem(text)).toMatch(/NUL/);
    for (const text of ["\uD800", "a\uD83Db", "\uDE00", "x\uDE00\uD83D", "😀\uD800"]) expect(textProblem(text)).toMatch(/unpaired surrogate/);
  });

  it("names the field, however deep, in objects and arrays, including keys", () => {
    expect(findTextIssue({ name: "ok", note: "bad\u0000" })).toEqual({ field: "note", message: expect.stringMatching(/NUL/) });
    expect(findTextIssue({ match: { email: ["a", "\uD800"] } })?.field).toBe("match.email.1");
    expect(findTextIssue({ ["k\u0000"]: 1 })?.message).toMatch(/field name/);
    expect(findTextIssue(["\u0000"])?.field).toBe("0");
    expect(findTextIssue({ a: 1, b: true, c: null, d: 1.5e300 })).toBeNull();
  });

  it("refuses nesting deeper than the limit instead of walking it", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < MAX_NESTING_DEPTH + 5; i++) deep = [deep];
    expect(findTextIssue(deep)?.message).toMatch(/nested/);
  });
});
