import { hashApiKey } from "@/lib/api-keys/api-keys";
import { prisma } from "@/lib/db/client";
import { DEMO } from "@/lib/demo/seed-demo";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/users/passwords";

/**
 * Safe production defaults, checked by `npm start` before it starts the app. With
 * NODE_ENV=production and a DATABASE_URL of its own, Leadline refuses to start while the
 * published demo key or a demo password still works, or without a strong session secret.
 * (Node scripts only: no "server-only" marker, the start script imports it.)
 */

export const MIN_SECRET_LENGTH = 32;

/** Seed the demo organization? Explicit LEADLINE_SEED_DEMO wins; unset means only on the embedded database. */
export function shouldSeedDemo(flag: boolean | undefined, embedded: boolean): boolean {
  return flag ?? embedded;
}

export function isProductionDeployment(): boolean {
  return env.NODE_ENV === "production" && Boolean(env.DATABASE_URL);
}

/** What is wrong with the session secret (before the database is opened), as lines to print. */
export function secretProblems(secret: string | undefined): string[] {
  if (secret && secret.length >= MIN_SECRET_LENGTH) return [];
  return [
    `NEXTAUTH_SECRET must be set to at least ${MIN_SECRET_LENGTH} random characters in production, e.g. NEXTAUTH_SECRET=$(openssl rand -base64 32)`,
  ];
}

/** What in the database is still the published demo, with how to fix each. */
export async function demoCredentialProblems(): Promise<string[]> {
  const problems: string[] = [];
  const key = await prisma.apiKey.findUnique({
    where: { hashedKey: hashApiKey(DEMO.apiKey.plaintext) },
    select: { revokedAt: true, organization: { select: { slug: true } }, name: true },
  });
  if (key && key.revokedAt === null) {
    problems.push(
      `The demo API key (${DEMO.apiKey.plaintext}) is active. Revoke it: npm run admin -- revoke-api-key --org ${key.organization.slug} --name "${key.name}"`,
    );
  }
  for (const demo of [DEMO.admin, DEMO.sales]) {
    const user = await prisma.user.findUnique({ where: { email: demo.email }, omit: { passwordHash: false } });
    if (user && user.deactivatedAt === null && (await verifyPassword(demo.password, user.passwordHash))) {
      problems.push(
        `The demo user ${demo.email} still has its published password. Change it: npm run admin -- set-password --email ${demo.email} --password-stdin ` +
          `(or deactivate the user in Settings → Users)`,
      );
    }
  }
  return problems;
}
