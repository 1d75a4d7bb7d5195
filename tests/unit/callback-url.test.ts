import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SIGNED_IN_HOME, safeCallbackPath } from "@/lib/security/callback-url";

describe("callbackUrl", () => {
  it("keeps paths of the app, with their query and fragment", () => {
    expect(safeCallbackPath("/leads?status=won")).toBe("/leads?status=won");
    expect(safeCallbackPath("/leads/lead_1#history")).toBe("/leads/lead_1#history");
    expect(safeCallbackPath("/settings/users")).toBe("/settings/users");
    expect(safeCallbackPath(["/settings", "/other"])).toBe("/settings");
  });

  it.each([
    ["absolute URL", "https://evil.example/"],
    ["scheme-relative", "//evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash later", "/leads\\..\\..\\evil"],
    ["tab between slashes (the reported %2F%09%2F)", "/\t/evil.example"],
    ["newline (the reported %0A)", "/\n/evil.example"],
    ["carriage return", "/leads\r\nSet-Cookie: x=1"],
    ["NUL", "/leads\u0000"],
    ["DEL", "/\u007F/evil"],
    ["C1 control", "/\u0085/evil"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["double encoded", "/%252F%252Fevil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["encoded tab", "/%09/evil.example"],
    ["broken encoding", "/%E0%A4%A"],
    ["javascript:", "javascript:alert(1)"],
    ["relative", "leads"],
    ["empty", ""],
    ["too long", `/${"a".repeat(5000)}`],
  ])("falls back to the home page on %s", (_name, value) => {
    expect(safeCallbackPath(value)).toBe(SIGNED_IN_HOME);
  });

  it("falls back on anything that is not a string", () => {
    for (const value of [undefined, null, 42, {}, [], [42]]) expect(safeCallbackPath(value)).toBe(SIGNED_IN_HOME);
  });

  it("never throws and only ever returns a same-origin path (property)", () => {
    const alphabet = fc.constantFrom("/", "\\", "%", "2", "F", "5", "C", "0", "9", "A", ":", ".", "a", "@", "?", "#", "\t", "\n", "\u0000", "é", "\uD800");
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(alphabet, { maxLength: 20 }).map((parts) => parts.join(""))), (value) => {
        const path = safeCallbackPath(value);
        const url = new URL(path, "http://app.example");
        expect(url.origin).toBe("http://app.example");
        expect(path.startsWith("/") && !path.startsWith("//") && !path.includes("\\")).toBe(true);
        expect(/[\u0000-\u001F\u007F]/.test(path)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
