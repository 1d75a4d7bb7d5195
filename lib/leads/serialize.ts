import type { LeadStatus } from "@/lib/generated/prisma/enums";
import type { LeadRecord } from "./store/record";

export type { LeadRecord } from "./store/record";

/** A lead as the API and the app see it: status lower-case, value a JSON number or null. */
export interface LeadDto {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: LeadStatus;
  value: number | null;
  currency: string;
  lossReason: string | null;
  qualifiedAt: string | null;
  wonAt: string | null;
  lostAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Two-decimal string of a stored value ("5000.50"), for comparisons without floating point. */
export function valueToCents(value: LeadRecord["value"]): string | null {
  return value === null ? null : value.toFixed(2);
}

/** The value as a JSON number: the one conversion to a float, at serialization. */
export function valueToNumber(value: LeadRecord["value"]): number | null {
  return value === null ? null : value.toNumber();
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
    qualifiedAt: iso(lead.qualifiedAt),
    wonAt: iso(lead.wonAt),
    lostAt: iso(lead.lostAt),
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
    version: lead.version,
  };
}
