import { describe, expect, it } from "vitest";
import { escapeLike } from "@/lib/leads/escape-like";
import { decodeCursor, encodeCursor, leadFilterSql, roundUpToTwoDigits } from "@/lib/leads/list-query";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";

const sortOf = (sort: string) => listLeadsQuerySchema.parse({ sort }).sort;

describe("list cursors", () => {
  it("round-trip, opaque, and refuse another sort or a forged key", () => {
    const cursor = encodeCursor({ sort: "value:desc", key: "1200.50", id: "lead_abc", before: false });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, sortOf("value:desc"))).toEqual({ sort: "value:desc", key: "1200.50", id: "lead_abc", before: false });
    expect(() => decodeCursor(cursor, sortOf("value:asc"))).toThrow(/sort=value:desc/);
    const forged = Buffer.from(JSON.stringify({ s: "createdAt:desc", k: "yesterday", i: "x", d: "a" })).toString("base64url");
    expect(() => decodeCursor(forged, sortOf("createdAt:desc"))).toThrow(/cursor/);
    const nullDate = Buffer.from(JSON.stringify({ s: "createdAt:desc", k: null, i: "x", d: "a" })).toString("base64url");
    expect(() => decodeCursor(nullDate, sortOf("createdAt:desc"))).toThrow(/cursor/);
    expect(() => decodeCursor("%%%", sortOf("createdAt:desc"))).toThrow(/cursor/);
  });

  it("keeps NULL keys of nullable sorts", () => {
    const cursor = encodeCursor({ sort: "name:asc", key: null, id: "lead_x", before: true });
    expect(decodeCursor(cursor, sortOf("name:asc"))).toMatchObject({ key: null, before: true });
  });
});

describe("estimates", () => {
  it("round up to two significant digits", () => {
    expect(roundUpToTwoDigits(10_001)).toBe(11_000);
    expect(roundUpToTwoDigits(25_000)).toBe(25_000);
    expect(roundUpToTwoDigits(987_654)).toBe(990_000);
    expect(roundUpToTwoDigits(1_000_001)).toBe(1_100_000);
  });
});

describe("search", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
    const organization = { id: "org_1", allowBulkUpdates: false, defaultPhoneCountry: "US", currency: "USD" };
    const where = leadFilterSql(organization, listLeadsQuerySchema.parse({ search: "a_b%" }));
    expect(where.values).toContain("%a\\_b\\%%");
    expect(where.values[0]).toBe("org_1");
  });
});
