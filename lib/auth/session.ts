import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { ActorContext, OrganizationSettings } from "./actor";
import { authOptions } from "./auth-options";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: "admin" | "sales";
  organization: OrganizationSettings & { name: string; slug: string };
}

/**
 * The signed-in user, re-read from the database on every request: a deactivated user, or one
 * whose sessionVersion was bumped (deactivation, role change), has no session any more even
 * though their JWT has not expired. Cached per request, so a layout and its page share one query.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const claims = session?.user;
  if (!claims?.id) return null;
  const user = await prisma.user.findUnique({
    where: { id: claims.id },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      deactivatedAt: true,
      sessionVersion: true,
      organizationId: true,
      organization: {
        select: { id: true, name: true, slug: true, allowBulkUpdates: true, defaultPhoneCountry: true, currency: true },
      },
    },
  });
  if (
    !user ||
    user.deactivatedAt !== null ||
    user.sessionVersion !== claims.sessionVersion ||
    user.organizationId !== claims.organizationId
  ) {
    return null;
  }
  return { id: user.id, name: user.name, email: user.email, role: user.role, organization: user.organization };
});

/** For pages and server actions: the user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** For admin pages and actions: the user if an active admin, else the forbidden page (403). */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "admin") forbidden();
  return user;
}

/** What the services need to act as this user from the app. */
export function actorContextForUser(user: SessionUser, requestId: string = newId("req", 20)): ActorContext {
  const { id, allowBulkUpdates, defaultPhoneCountry, currency } = user.organization;
  return {
    organization: { id, allowBulkUpdates, defaultPhoneCountry, currency },
    actor: { type: "user", userId: user.id, name: user.name },
    source: "app",
    requestId,
  };
}

/** Only same-site paths, so a crafted link cannot send a user elsewhere after signing in. */
export function safeCallbackPath(value: string | string[] | undefined | null): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/dashboard";
  return path;
}
