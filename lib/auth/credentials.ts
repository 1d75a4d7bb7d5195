import "server-only";
import { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { prisma } from "@/lib/db/client";
import { verifyPassword } from "@/lib/users/passwords";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "must be a valid e-mail address" })),
  password: z.string().min(1, { error: "is required" }).max(200),
});

/** bcrypt hash of a random string, compared against when the e-mail is unknown. */
const DUMMY_HASH = "$2b$11$TSnn/kadTj8SFc7/39S2culG/9QdIpZrmkNjENb9dYR1W6o9LlN/W";

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
 * the right password. Unknown e-mails still run one bcrypt comparison, so timing does not tell
 * which e-mails exist.
 */
export async function verifyCredentials(input: unknown): Promise<VerifiedUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await prisma.user.findUnique({
    where: { email: parsed.data.email },
    omit: { passwordHash: false },
  });
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.deactivatedAt !== null) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    organizationId: user.organizationId,
    sessionVersion: user.sessionVersion,
  };
}
