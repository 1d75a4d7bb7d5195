import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createUser, LAST_ADMIN_MESSAGE, updateUserAccess } from "@/lib/users/users";
import { createTestOrganization, uniqueSuffix } from "../helpers/fixtures";

async function addUser(organizationId: string, role: "admin" | "sales") {
  return createUser(organizationId, { name: `${role} ${uniqueSuffix()}`, email: `${role}-${uniqueSuffix()}@example.com`, password: "long enough", role });
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );
}

describe("the last-admin rule", () => {
  it("refuses to demote or deactivate the only active admin, with the reason", async () => {
    const org = await createTestOrganization();
    const error = await updateUserAccess(org.organizationId, org.userId, { role: "sales" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).message).toBe(LAST_ADMIN_MESSAGE);
    expect(await codeOf(updateUserAccess(org.organizationId, org.userId, { active: false }))).toBe("CONFLICT");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: org.userId } })).role).toBe("admin");
  });

  it("allows it once another admin is active", async () => {
    const org = await createTestOrganization();
    await addUser(org.organizationId, "admin");
    const demoted = await updateUserAccess(org.organizationId, org.userId, { role: "sales" });
    expect(demoted.role).toBe("sales");
  });

  it("does not count a deactivated admin", async () => {
    const org = await createTestOrganization();
    const second = await addUser(org.organizationId, "admin");
    await updateUserAccess(org.organizationId, second.id, { active: false });
    expect(await codeOf(updateUserAccess(org.organizationId, org.userId, { active: false }))).toBe("CONFLICT");
  });

  it("lets exactly one of two admins who demote each other at the same moment succeed", async () => {
    const org = await createTestOrganization();
    const second = await addUser(org.organizationId, "admin");
    const results = await Promise.all([
      codeOf(updateUserAccess(org.organizationId, org.userId, { role: "sales" })),
      codeOf(updateUserAccess(org.organizationId, second.id, { role: "sales" })),
    ]);
    expect(results.sort()).toEqual(["CONFLICT", null].sort());
    const admins = await prisma.user.count({ where: { organizationId: org.organizationId, role: "admin", deactivatedAt: null } });
    expect(admins).toBe(1);
  });

  it("ends the user's sessions on deactivation, and treats another organization's user as not found", async () => {
    const org = await createTestOrganization();
    const other = await createTestOrganization();
    const sales = await addUser(org.organizationId, "sales");
    const before = await prisma.user.findUniqueOrThrow({ where: { id: sales.id } });
    const after = await updateUserAccess(org.organizationId, sales.id, { active: false });
    expect(after.active).toBe(false);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: sales.id } })).sessionVersion).toBe(before.sessionVersion + 1);
    expect(await codeOf(updateUserAccess(other.organizationId, sales.id, { active: true }))).toBe("NOT_FOUND");
  });
});
