import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError, ERROR_STATUS, toAppError } from "@/lib/errors";

describe("toAppError", () => {
  it("maps the documented codes to their statuses", () => {
    expect(ERROR_STATUS).toMatchObject({ VALIDATION_ERROR: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, INTERNAL_ERROR: 500 });
  });

  it("maps Prisma errors by code", () => {
    const notFound = new Prisma.PrismaClientKnownRequestError("whatever text", { code: "P2025", clientVersion: "7" });
    const unique = new Prisma.PrismaClientKnownRequestError("whatever text", { code: "P2002", clientVersion: "7" });
    expect(toAppError(notFound).code).toBe("NOT_FOUND");
    expect(toAppError(unique).code).toBe("CONFLICT");
  });

  it("maps the same situations by SQLSTATE when pg raised them (the SQL stores' transactions)", () => {
    const pgError = (code: string) => Object.assign(new Error("duplicate key value violates unique constraint \"Lead_pkey\""), { code });
    expect(toAppError(pgError("23505")).code).toBe("CONFLICT");
    expect(toAppError(pgError("40P01")).code).toBe("CONFLICT");
    expect(toAppError(pgError("40001")).code).toBe("CONFLICT");
    expect(toAppError(pgError("23505")).message).not.toContain("Lead_pkey");
    expect(toAppError(pgError("42P01")).code).toBe("INTERNAL_ERROR");
  });

  it("hides everything about an unknown error", () => {
    const error = toAppError(new Error('relation "Lead" does not exist at Object.<anonymous> (/app/lib/db.ts:1:1)'));
    expect(error.code).toBe("INTERNAL_ERROR");
    expect(error.status).toBe(500);
    expect(error.message).toBe("An internal error occurred");
    expect(error.details).toBeUndefined();
  });

  it("turns zod errors into field issues", () => {
    const result = z.object({ a: z.string() }).safeParse({ a: 1 });
    const error = toAppError(result.error);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.details).toMatchObject({ issues: [{ field: "a" }] });
  });

  it("passes AppErrors through", () => {
    const original = new AppError("CONFLICT", "x", { matchCount: 2 });
    expect(toAppError(original)).toBe(original);
  });
});
