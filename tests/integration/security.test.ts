import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/credentials";
import { prisma } from "@/lib/db/client";
import { toAppError } from "@/lib/errors";
import { demoCredentialProblems } from "@/lib/security/production-check";
import { createTestOrganization, uniqueSuffix } from "../helpers/fixtures";
import { createUser } from "@/lib/users/users";

describe("PostgreSQL's encoding errors", () => {
  it.each([
    ["a NUL through Prisma", () => prisma.lead.findMany({ where: { name: "a\u0000b" } })],
    ["a NUL in raw SQL", () => prisma.$queryRaw`SELECT ${"a\u0000"}::text`],
    ["malformed text for a type (22P02)", () => prisma.$queryRaw`SELECT ${"not a number"}::int`],
  ])("map to 400 VALIDATION_ERROR, never 500: %s", async (_name, query) => {
    const error = await query().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(toAppError(error)).toMatchObject({ code: "VALIDATION_ERROR", status: 400 });
  });
});

describe("password hashes", () => {
  it("a bcrypt hash from before signs in once, and is replaced by a scrypt hash", async () => {
    const org = await createTestOrganization();
    const email = `legacy-${uniqueSuffix()}@example.com`;
    const user = await createUser(org.organizationId, { name: "Legacy", email, password: "old-password-1", role: "sales" });
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await bcrypt.hash("old-password-1", 4) } });

    expect(await verifyCredentials({ email, password: "wrong-password" })).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } })).passwordHash).toMatch(/^\$2/);
    expect(await verifyCredentials({ email, password: "old-password-1" })).toMatchObject({ id: user.id });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyCredentials({ email, password: "old-password-1" })).toMatchObject({ id: user.id });
  });

  it("unknown e-mails and over-long passwords are simply refused", async () => {
    expect(await verifyCredentials({ email: `nobody-${uniqueSuffix()}@example.com`, password: "whatever-password" })).toBeNull();
    expect(await verifyCredentials({ email: "admin@acme.test", password: "x".repeat(201) })).toBeNull();
  });
});

describe("production check", () => {
  it("names the demo key and the demo passwords while they work (the test database has the demo)", async () => {
    const problems = await demoCredentialProblems();
    expect(problems.join("\n")).toMatch(/demo API key .* is active\. Revoke it: npm run admin -- revoke-api-key --org acme/);
    expect(problems.join("\n")).toMatch(/admin@acme\.test still has its published password/);
    expect(problems.join("\n")).toMatch(/sales@acme\.test still has its published password/);
  });
});
