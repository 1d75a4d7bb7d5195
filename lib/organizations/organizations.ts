import "server-only";
import { getCountries } from "libphonenumber-js";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/validation";

const COUNTRIES = new Set<string>(getCountries());

/** Bounds of the requests per minute an admin may allow each API key (default 600). */
export const MIN_API_RATE_LIMIT = 1;
export const MAX_API_RATE_LIMIT = 100_000;
/** Bounds of the per-organization maximum of leads one bulk PATCH may touch. */
export const MAX_BULK_MATCHES_LIMIT = 1_000_000;

export const organizationSettingsSchema = z.object({
  allowBulkUpdates: z.boolean().optional(),
  maxBulkMatches: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(2, { error: "must be at least 2" })
    .max(MAX_BULK_MATCHES_LIMIT, { error: `must be at most ${MAX_BULK_MATCHES_LIMIT.toLocaleString("en-US")}` })
    .optional(),
  defaultPhoneCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => COUNTRIES.has(c), { error: "must be a two-letter country code such as US or GB" })
    .optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, { error: "must be a three-letter currency code such as USD or EUR" })
    .refine((c) => Intl.supportedValuesOf("currency").includes(c), { error: "is not a known ISO 4217 currency" })
    .optional(),
  apiRateLimitPerMinute: z
    .number({ error: "must be a whole number of requests per minute" })
    .int({ error: "must be a whole number of requests per minute" })
    .min(MIN_API_RATE_LIMIT, { error: `must be at least ${MIN_API_RATE_LIMIT}` })
    .max(MAX_API_RATE_LIMIT, { error: `must be at most ${MAX_API_RATE_LIMIT}` })
    .optional(),
});

export type OrganizationSettingsInput = z.input<typeof organizationSettingsSchema>;

export const createOrganizationSchema = z.object({
  name: z.string().trim().min(1, { error: "is required" }).max(100),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, { error: "must be lower-case letters, digits and dashes" })
    .optional(),
});

export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "org"
  );
}

export async function createOrganization(input: z.input<typeof createOrganizationSchema>) {
  const { name, slug } = parseWith(createOrganizationSchema, input);
  const finalSlug = slug ?? slugify(name);
  if (await prisma.organization.findUnique({ where: { slug: finalSlug } })) {
    throw new AppError("CONFLICT", `An organization with the slug "${finalSlug}" already exists`);
  }
  return prisma.organization.create({ data: { id: newId("org"), name, slug: finalSlug } });
}

export async function getOrganizationBySlugOrThrow(slug: string) {
  const organization = await prisma.organization.findUnique({ where: { slug: slug.trim().toLowerCase() } });
  if (!organization) throw new AppError("NOT_FOUND", `No organization with the slug "${slug}"`);
  return organization;
}

export async function getOrganizationSettings(organizationId: string) {
  const organization = await prisma.organization.findUnique({
    where: { id: organizationId },
    include: { settingsUpdatedBy: { select: { id: true, name: true } } },
  });
  if (!organization) throw new AppError("NOT_FOUND", "Organization not found");
  return organization;
}

/** The most leads one bulk PATCH of the organization may touch (read when a request matches several). */
export async function getMaxBulkMatches(organizationId: string): Promise<number> {
  const organization = await prisma.organization.findUnique({ where: { id: organizationId }, select: { maxBulkMatches: true } });
  if (!organization) throw new AppError("NOT_FOUND", "Organization not found");
  return organization.maxBulkMatches;
}

export interface OrganizationSettingsDto {
  name: string;
  slug: string;
  allowBulkUpdates: boolean;
  maxBulkMatches: number;
  defaultPhoneCountry: string;
  currency: string;
  apiRateLimitPerMinute: number;
  settingsUpdatedAt: string | null;
  settingsUpdatedBy: { id: string; name: string } | null;
}

export function toOrganizationSettingsDto(organization: Awaited<ReturnType<typeof getOrganizationSettings>>): OrganizationSettingsDto {
  return {
    name: organization.name,
    slug: organization.slug,
    allowBulkUpdates: organization.allowBulkUpdates,
    maxBulkMatches: organization.maxBulkMatches,
    defaultPhoneCountry: organization.defaultPhoneCountry,
    currency: organization.currency,
    apiRateLimitPerMinute: organization.apiRateLimitPerMinute,
    settingsUpdatedAt: organization.settingsUpdatedAt?.toISOString() ?? null,
    settingsUpdatedBy: organization.settingsUpdatedBy,
  };
}

/** Changes organization settings, recording who changed them and when (null: the admin CLI). */
export async function updateOrganizationSettings(
  organizationId: string,
  input: OrganizationSettingsInput,
  changedByUserId: string | null,
) {
  const data = parseWith(organizationSettingsSchema, input);
  return prisma.organization.update({
    where: { id: organizationId },
    data: {
      ...data,
      settingsUpdatedAt: new Date(),
      settingsUpdatedById: changedByUserId,
    },
    include: { settingsUpdatedBy: { select: { id: true, name: true } } },
  });
}
