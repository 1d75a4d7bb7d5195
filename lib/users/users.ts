import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";
import { hashPassword } from "./passwords";

export const ROLES = ["admin", "sales"] as const;
export type RoleValue = (typeof ROLES)[number];

export const createUserSchema = z.object({
  name: z.string().trim().min(1, { error: "is required" }).max(100),
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "must be a valid e-mail address" })),
  password: z.string().min(8, { error: "must be at least 8 characters" }).max(200),
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
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    active: user.deactivatedAt === null,
    createdAt: user.createdAt.toISOString(),
  };
}
