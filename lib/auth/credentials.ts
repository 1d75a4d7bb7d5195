import "server-only";
import { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { prisma } from "@/lib/db/client";
import { randomBytes } from "node:crypto";
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from "@/lib/users/passwords";
import { replacePasswordHash } from "@/lib/users/users";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "must be a valid e-mail address" })),
  password: z.string().min(1, { error: "is required" }).max(MAX_PASSWORD_LENGTH),
});

/**
 * A scrypt hash of a random string, compared against when the e-mail is unknown: unknown accounts
 * cost the same as known ones (and never reach the slower, main-thread bcrypt of legacy hashes).
 */
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

export interface VerifiedUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  organizationId: string;
  sessionVersion: number;
}

/**
 * The active user with this e-mail and password, or null. A deactivated user is refused even with
 * the right password. Unknown e-mails still run one scrypt comparison, so timing does not tell
 * which e-mails exist. Legacy bcrypt hashes are re-hashed with scrypt on the first good sign-in.
 */
export async function verifyCredentials(input: unknown): Promise<VerifiedUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await prisma.user.findUnique({
    where: { email: parsed.data.email },
    omit: { passwordHash: false },
  });
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !ok || user.deactivatedAt !== null) return null;
  // A hash of an earlier scheme (bcrypt) is replaced now that the password is known.
  if (needsRehash(user.passwordHash)) await replacePasswordHash(user.id, user.passwordHash, await hashPassword(parsed.data.password));
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    organizationId: user.organizationId,
    sessionVersion: user.sessionVersion,
  };
}
