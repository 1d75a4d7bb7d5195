import { describe, expect, it } from "vitest";
import { escapeFormula, toCsvLines, unescapeFormula } from "@/lib/imports/csv-format";
import { headerKey, resolveMapping, suggestMapping } from "@/lib/imports/mapping";
import { createImportQuerySchema, exportLeadsQuerySchema } from "@/lib/imports/schemas";
import { checkRow, mapRow } from "@/lib/imports/validate-row";
import { uniqueHeaders } from "@/lib/imports/upload";

describe("formula-injection escaping", () => {
  it.each(["=1+1", "+1 415 555 2671", "-2", "@SUM(A1)", "\tcmd", "\rcmd", "=HYPERLINK(\"http://x\")"])("prefixes %j with an apostrophe", (cell) => {
    expect(escapeFormula(cell)).toBe(`'${cell}`);
  });

  it.each(["Ada", "", "5000.00", "a=b", " =x", "'quoted"])("leaves %j alone", (cell) => {
    expect(escapeFormula(cell)).toBe(cell);
  });

  it("is undone on import, so an exported file imports back as it was", () => {
    for (const cell of ["=1+1", "+1 415 555 2671", "@x", "plain", "'plain"]) expect(unescapeFormula(escapeFormula(cell))).toBe(cell);
  });

  it("writes RFC 4180 lines: CRLF, quoted delimiters, doubled quotes, kept line breaks, escaped formulas", () => {
    const csv = toCsvLines([
      ["id", "name", "note"],
      ["lead_1", 'Ada "the first" Lovelace', "line one\nline two"],
      ["lead_2", "Smith, John", "=cmd|' /C calc'!A0"],
      ["lead_3", null, "ünïcødé"],
    ]);
    expect(csv).toBe(
      'id,name,note\r\nlead_1,"Ada ""the first"" Lovelace","line one\nline two"\r\nlead_2,"Smith, John",\'=cmd|\' /C calc\'!A0\r\nlead_3,,ünïcødé\r\n',
    );
  });
});

describe("column mapping", () => {
  it("recognises common headers whatever their case and punctuation", () => {
    const headers = ["Full Name", "E-mail", "Phone number", "Company", "Amount", "Stage", "Lead source", "Loss_reason", "Notes", "Other"];
    expect(suggestMapping(headers)).toEqual({ name: 0, email: 1, phone: 2, company: 3, value: 4, status: 5, source: 6, lossReason: 7, note: 8 });
  });

  it("recognises Leadline's own export columns", () => {
    const headers = ["id", "name", "email", "phone", "company", "source", "status", "value", "currency", "loss_reason", "created_at"];
    expect(suggestMapping(headers)).toEqual({ name: 1, email: 2, phone: 3, company: 4, source: 5, status: 6, value: 7, lossReason: 9 });
  });

  it("uses each column once and leaves unknown headers unmapped", () => {
    expect(suggestMapping(["email", "Email address", "Foo"])).toEqual({ email: 0 });
    expect(headerKey(" E-Mail ")).toBe("email");
  });

  it("resolves a user's mapping by header name and refuses unknown or doubly used columns", () => {
    const headers = ["Nom", "Courriel", "Montant"];
    expect(resolveMapping({ name: "Nom", email: "courriel", value: "Montant", phone: null }, headers)).toEqual({ name: 0, email: 1, value: 2 });
    expect(() => resolveMapping({ name: "Name" }, headers)).toThrow(/no column "Name"/);
    expect(() => resolveMapping({ name: "Nom", company: "Nom" }, headers)).toThrow(/already mapped/);
    expect(() => resolveMapping({ value: "Montant" }, headers)).toThrow(/at least one of name, e-mail or phone/);
  });

  it("gives blank and repeated headers names of their own", () => {
    expect(uniqueHeaders(["email", "", "email", " Name "])).toEqual(["email", "Column 2", "email (2)", "Name"]);
  });
});

describe("row validation (the API's rules and messages)", () => {
  const mapping = { name: 0, email: 1, phone: 2, value: 3, status: 4, lossReason: 5 };
  const org = { defaultPhoneCountry: "US" };
  const check = (cells: string[]) => checkRow(mapRow(cells, mapping), org);

  it("accepts a good row and gives the values as the API would take them", () => {
    const result = check(["Ada Lovelace", "ADA@example.com ", "(415) 555-2671", "5000.5", "Won", ""]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.input).toMatchObject({ name: "Ada Lovelace", email: "ADA@example.com", value: "5000.50", status: "won" });
  });

  it("fails a row with every problem, in the API's words", () => {
    const result = check(["Bob", "not-an-email", "12", "-5", "maybe", ""]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toEqual(
        expect.arrayContaining([
          { field: "email", message: "must be a valid e-mail address" },
          { field: "value", message: "must not be negative" },
          { field: "status", message: "must be one of: open, qualified, won, lost", allowed: ["open", "qualified", "won", "lost"] },
        ]),
      );
      expect(result.message).toContain("value: must not be negative");
    }
  });

  it("checks the phone with the service's normaliser", () => {
    const result = check(["Carl", "", "12abc", "", "", ""]);
    expect(result).toMatchObject({ ok: false, message: "phone: must be a phone number such as +1 415 555 2671" });
  });

  it("refuses thousands separators as the API does", () => {
    expect(check(["Dee", "", "", "5,000", "", ""])).toMatchObject({ ok: false, message: expect.stringContaining("without thousands separators") });
  });

  it("needs a name, an e-mail or a phone, and says so for an empty row", () => {
    expect(check(["", "", "", "100", "", ""])).toMatchObject({ ok: false, message: "At least one of name, email or phone is required" });
    expect(check(["", "", "", "", "", ""])).toMatchObject({ ok: false, message: "The row has no value in the mapped columns" });
  });

  it("reads an exported phone back without its formula escape", () => {
    expect(check(["Eve", "", "'+1 415 555 2671", "", "", ""])).toMatchObject({ ok: true });
  });
});

describe("request schemas", () => {
  it("takes the API's mode and a JSON mapping, defaulting to create and the recognised columns", () => {
    expect(createImportQuerySchema.parse({})).toEqual({ mode: "create", fileName: "import.csv" });
    expect(createImportQuerySchema.parse({ mode: "update", mapping: '{"email":"E-mail"}', fileName: "fair.csv" })).toEqual({
      mode: "update",
      mapping: { email: "E-mail" },
      fileName: "fair.csv",
    });
    expect(createImportQuerySchema.safeParse({ mode: "merge" }).success).toBe(false);
    expect(createImportQuerySchema.safeParse({ mapping: '{"colour":"x"}' }).success).toBe(false);
    expect(createImportQuerySchema.safeParse({ mapping: "not json" }).success).toBe(false);
  });

  it("exports with the list's filters and an optional BOM", () => {
    expect(exportLeadsQuerySchema.parse({ status: "won,lost", bom: "1" })).toMatchObject({ status: ["won", "lost"], bom: true });
    expect(exportLeadsQuerySchema.parse({})).toMatchObject({ bom: false, sort: { field: "createdAt", direction: "desc" } });
    expect(exportLeadsQuerySchema.safeParse({ status: "done" }).success).toBe(false);
  });
});
