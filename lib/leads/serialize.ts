import type { LeadStatusValue } from "./normalize";

/** A lead as the API and the app see it: status lower-case, value a JSON number or null. */
export interface LeadDto {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: LeadStatusValue;
  value: number | null;
  currency: string;
  lossReason: string | null;
  /** The managed loss reason `lossReason` is linked to; null when it is "Other" (free text) or absent. */
  lossReasonId: string | null;
  qualifiedAt: string | null;
  wonAt: string | null;
  lostAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The columns of a lead, whether read by Prisma (value is a Decimal) or by raw SQL (value is text). */
export interface LeadRecord {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: LeadStatusValue;
  value: { toString(): string } | string | null;
  currency: string;
  lossReason: string | null;
  lossReasonId: string | null;
  qualifiedAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Two-decimal string of a stored value, for comparisons without floating point. */
export function valueToCents(value: LeadRecord["value"]): string | null {
  if (value === null) return null;
  const [int = "0", frac = ""] = value.toString().split(".");
  return `${int}.${frac.padEnd(2, "0").slice(0, 2)}`;
}

export function valueToNumber(value: LeadRecord["value"]): number | null {
  return value === null ? null : Number(value.toString());
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function serializeLead(lead: LeadRecord): LeadDto {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    source: lead.source,
    status: lead.status,
    value: valueToNumber(lead.value),
    currency: lead.currency,
    lossReason: lead.lossReason,
    lossReasonId: lead.lossReasonId,
    qualifiedAt: iso(lead.qualifiedAt),
    wonAt: iso(lead.wonAt),
    lostAt: iso(lead.lostAt),
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
    version: lead.version,
  };
}
