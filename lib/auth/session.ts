import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { newId } from "@/lib/ids";
import { enabledEndpointExists } from "@/lib/webhooks/endpoint-sql";
import type { ActorContext, OrganizationSettings } from "./actor";
import { authOptions } from "./auth-options";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  organization: OrganizationSettings & { name: string; slug: string };
}

/**
 * The signed-in user, re-read from the database on every request: a signed-out or expired
 * session (lib/auth/sessions.ts), a deactivated user, or one whose sessionVersion was bumped
 * (deactivation, role change), has no session any more even though their JWT has not expired. Cached per request, so a layout and its page share one query.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const claims = session?.user;
  if (!claims?.id || !claims.sessionId) return null;
  // The session row (not revoked, within its absolute lifetime), the user and the organization in
  // one round trip: this runs on every page, session route and server action.
  const rows = await prisma.$queryRaw<SessionRow[]>`
    SELECT u."id", u."name", u."email", u."role"::text AS "role", u."sessionVersion", u."organizationId",
      o."name" AS "organizationName", o."slug", o."allowBulkUpdates", o."defaultPhoneCountry", o."currency",
      ${Prisma.raw(enabledEndpointExists(`o."id"`))} AS "hasWebhookEndpoints"
    FROM "Session" s
    JOIN "User" u ON u."id" = s."userId"
    JOIN "Organization" o ON o."id" = u."organizationId"
    WHERE s."id" = ${claims.sessionId} AND s."revokedAt" IS NULL AND s."expiresAt" > now()
      AND u."id" = ${claims.id} AND u."deactivatedAt" IS NULL`;
  const user = rows[0];
  if (!user || user.sessionVersion !== claims.sessionVersion || user.organizationId !== claims.organizationId) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    organization: {
      id: user.organizationId,
      name: user.organizationName,
      slug: user.slug,
      allowBulkUpdates: user.allowBulkUpdates,
      defaultPhoneCountry: user.defaultPhoneCountry,
      currency: user.currency,
      hasWebhookEndpoints: user.hasWebhookEndpoints,
    },
  };
});

interface SessionRow {
  id: string;
  name: string;
  email: string;
  role: "admin" | "sales";
  sessionVersion: number;
  organizationId: string;
  organizationName: string;
  slug: string;
  allowBulkUpdates: boolean;
  defaultPhoneCountry: string;
  currency: string;
  hasWebhookEndpoints: boolean;
}

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
