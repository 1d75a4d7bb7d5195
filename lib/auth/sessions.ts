import "server-only";
import { prisma } from "@/lib/db/client";
import { newId } from "@/lib/ids";

/**
 * Server-side sessions: one Session row per sign-in, named by the `sid` claim of the session
 * cookie (a JWT). Sign-out revokes the row, so a copied cookie stops working at once, and every
 * session ends SESSION_ABSOLUTE_LIFETIME_SECONDS after sign-in, however active (the cookie itself
 * slides with use). getSessionUser (session.ts) checks the row with the user in one query.
 */

export const SESSION_ABSOLUTE_LIFETIME_SECONDS = 12 * 60 * 60;

export async function createSession(userId: string): Promise<string> {
  const id = newId("sess", 32);
  await prisma.session.create({
    data: { id, userId, expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_LIFETIME_SECONDS * 1000) },
  });
  // Housekeeping: the user's sessions that ended more than a day ago are of no use any more.
  await prisma.session.deleteMany({ where: { userId, expiresAt: { lt: new Date(Date.now() - 24 * 60 * 60 * 1000) } } });
  return id;
}

export async function revokeSession(id: string): Promise<void> {
  await prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}
