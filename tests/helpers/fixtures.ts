import { randomBytes } from "node:crypto";
import { createApiKey } from "@/lib/api-keys/api-keys";
import type { ActorContext } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createLead } from "@/lib/leads/create-lead";
import type { CreateLeadInput } from "@/lib/leads/schemas";
import { createOrganization, updateOrganizationSettings } from "@/lib/organizations/organizations";
import { createUser } from "@/lib/users/users";

/** Every test works in an organization of its own, so tests never see each other's data. */
export interface TestOrganization {
  organizationId: string;
  slug: string;
  apiKey: string;
  apiKeyId: string;
  userId: string;
  userName: string;
  /** The admin's sign-in e-mail; the password is TEST_PASSWORD. */
  userEmail: string;
  apiCtx: ActorContext;
  appCtx: ActorContext;
}

export const TEST_PASSWORD = "correct horse battery";

export const uniqueSuffix = () => randomBytes(5).toString("hex");

export async function createTestOrganization(
  options: { allowBulkUpdates?: boolean; defaultPhoneCountry?: string } = {},
): Promise<TestOrganization> {
  const suffix = uniqueSuffix();
  const organization = await createOrganization({ name: `Test ${suffix}`, slug: `t-${suffix}` });
  if (options.allowBulkUpdates !== undefined || options.defaultPhoneCountry !== undefined) {
    await updateOrganizationSettings(
      organization.id,
      { allowBulkUpdates: options.allowBulkUpdates, defaultPhoneCountry: options.defaultPhoneCountry },
      null,
    );
  }
  const settings = await prisma.organization.findUniqueOrThrow({ where: { id: organization.id } });
  const user = await createUser(organization.id, {
    name: `Tess Tester ${suffix}`,
    email: `tess-${suffix}@example.com`,
    password: TEST_PASSWORD,
    role: "admin",
  });
  const { apiKey, plaintext } = await createApiKey({ organizationId: organization.id, name: "Test key", createdById: user.id });
  const orgSettings = {
    id: settings.id,
    allowBulkUpdates: settings.allowBulkUpdates,
    defaultPhoneCountry: settings.defaultPhoneCountry,
    currency: settings.currency,
  };
  return {
    organizationId: organization.id,
    slug: organization.slug,
    apiKey: plaintext,
    apiKeyId: apiKey.id,
    userId: user.id,
    userName: user.name,
    userEmail: user.email,
    apiCtx: { organization: orgSettings, actor: { type: "api_key", apiKeyId: apiKey.id, name: "Test key" }, source: "api", requestId: newId("req") },
    appCtx: { organization: orgSettings, actor: { type: "user", userId: user.id, name: user.name }, source: "app", requestId: newId("req") },
  };
}

export async function createTestLead(org: TestOrganization, body: CreateLeadInput = {}) {
  return createLead(org.appCtx, { name: "Lead", ...body });
}

export async function leadRow(id: string) {
  return prisma.lead.findUniqueOrThrow({ where: { id } });
}

export async function leadHistory(id: string) {
  const [notes, events] = await Promise.all([
    prisma.leadNote.findMany({ where: { leadId: id }, orderBy: { createdAt: "asc" } }),
    prisma.leadEvent.findMany({ where: { leadId: id }, orderBy: { createdAt: "asc" } }),
  ]);
  return { notes, events };
}
