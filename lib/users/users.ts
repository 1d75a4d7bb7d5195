import "server-only";
import { z } from "zod";
import { Role } from "@/lib/generated/prisma/enums";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords";

export const ROLES = Object.values(Role) as [Role, ...Role[]];
export type RoleValue = Role;

export const createUserSchema = z.object({
  name: z.string().trim().min(1, { error: "is required" }).max(100),
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "must be a valid e-mail address" })),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` }),
  role: z.enum(ROLES, { error: "must be admin or sales" }),
});

export type CreateUserInput = z.input<typeof createUserSchema>;

export interface UserDto {
  id: string;
  name: string;
  email: string;
  role: RoleValue;
  active: boolean;
  createdAt: string;
}

export async function createUser(organizationId: string, input: CreateUserInput): Promise<UserDto> {
  const data = parseWith(createUserSchema, input);
  if (await prisma.user.findUnique({ where: { email: data.email } })) {
    throw new AppError("CONFLICT", `A user with the e-mail ${data.email} already exists`, { field: "email" });
  }
  const user = await prisma.user.create({
    data: {
      id: newId("user"),
      organizationId,
      name: data.name,
      email: data.email,
      role: data.role,
      passwordHash: await hashPassword(data.password),
    },
  });
  return toUserDto(user);
}

/** Sets a user's password (admin CLI); their open sessions end. */
export async function setUserPassword(email: string, password: string): Promise<UserDto> {
  const parsed = parseWith(z.object({ email: createUserSchema.shape.email, password: createUserSchema.shape.password }), { email, password });
  const user = await prisma.user.findUnique({ where: { email: parsed.email } });
  if (!user) throw new AppError("NOT_FOUND", `No user with the e-mail ${parsed.email}`);
  const updated = await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(parsed.password), sessionVersion: { increment: 1 } },
  });
  return toUserDto(updated);
}

/**
 * Replaces a user's password hash with one of the current scheme (same password), unless it was
 * changed meanwhile. Used by sign-in to move bcrypt hashes to scrypt.
 */
export async function replacePasswordHash(userId: string, previousHash: string, newHash: string): Promise<void> {
  await prisma.user.updateMany({ where: { id: userId, passwordHash: previousHash }, data: { passwordHash: newHash } });
}

function toUserDto(user: { id: string; name: string; email: string; role: RoleValue; deactivatedAt: Date | null; createdAt: Date }): UserDto {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    active: user.deactivatedAt === null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function listUsers(organizationId: string): Promise<UserDto[]> {
  const users = await prisma.user.findMany({
    where: { organizationId },
    orderBy: [{ deactivatedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
  });
  return users.map(toUserDto);
}

export const updateUserAccessSchema = z
  .object({
    role: z.enum(ROLES, { error: "must be admin or sales" }).optional(),
    active: z.boolean({ error: "must be true or false" }).optional(),
  })
  .refine((v) => v.role !== undefined || v.active !== undefined, { error: "Give a role or an active flag to change" });

export type UpdateUserAccessInput = z.input<typeof updateUserAccessSchema>;

export const LAST_ADMIN_MESSAGE =
  "The last active admin of an organization cannot be demoted or deactivated: make another user an admin first.";

/** Whether a change takes away the organization's last active admin. */
export function removesLastAdmin(
  user: { role: RoleValue; active: boolean },
  change: { role?: RoleValue; active?: boolean },
  activeAdminCount: number,
): boolean {
  const isActiveAdmin = user.role === "admin" && user.active;
  const staysActiveAdmin = (change.role ?? user.role) === "admin" && (change.active ?? user.active);
  return isActiveAdmin && !staysActiveAdmin && activeAdminCount <= 1;
}

/**
 * Changes a user's role or deactivates/reactivates them. The organization always keeps one
 * active admin: the admins are locked in the transaction, so two admins demoting each other at
 * the same moment cannot both succeed. Deactivation ends the user's open sessions (sessionVersion).
 */
export async function updateUserAccess(organizationId: string, userId: string, input: UpdateUserAccessInput): Promise<UserDto> {
  const change = parseWith(updateUserAccessSchema, input);
  return prisma.$transaction(async (tx) => {
    const activeAdmins = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "User"
      WHERE "organizationId" = ${organizationId} AND "role" = 'admin' AND "deactivatedAt" IS NULL
      ORDER BY "id" FOR UPDATE`;
    const user = await tx.user.findFirst({ where: { id: userId, organizationId } });
    if (!user) throw new AppError("NOT_FOUND", "User not found");

    if (removesLastAdmin({ role: user.role, active: user.deactivatedAt === null }, change, activeAdmins.length)) {
      throw new AppError("CONFLICT", LAST_ADMIN_MESSAGE, { reason: "LAST_ADMIN" });
    }

    const roleChanged = change.role !== undefined && change.role !== user.role;
    const activeChanged = change.active !== undefined && change.active !== (user.deactivatedAt === null);
    if (!roleChanged && !activeChanged) return toUserDto(user);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: {
        ...(roleChanged ? { role: change.role } : {}),
        // Deactivation ends every open session; a role change takes effect on the next request anyway.
        ...(activeChanged ? { deactivatedAt: change.active ? null : new Date(), sessionVersion: { increment: 1 } } : {}),
      },
    });
    return toUserDto(updated);
  });
}
