import { toIsoString, toIsoStringOrNull } from "@/lib/iso-time";
import type { LeadDto } from "./replies";
import type { LeadRecord } from "./store/record";

export type { LeadRecord } from "./store/record";

/** A lead as the API and the app see it: the type of the reply schema (lib/leads/replies.ts, also the OpenAPI document). */
export type { LeadDto };

/** Two-decimal string of a stored value ("5000.50"), for comparisons without floating point. */
export function valueToCents(value: LeadRecord["value"]): string | null {
  return value === null ? null : value.toFixed(2);
}

/** The value as a JSON number: the one conversion to a float, at serialization. */
export function valueToNumber(value: LeadRecord["value"]): number | null {
  return value === null ? null : value.toNumber();
}

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
    qualifiedAt: toIsoStringOrNull(lead.qualifiedAt),
    wonAt: toIsoStringOrNull(lead.wonAt),
    lostAt: toIsoStringOrNull(lead.lostAt),
    createdAt: toIsoString(lead.createdAt),
    updatedAt: toIsoString(lead.updatedAt),
    version: lead.version,
  };
}
