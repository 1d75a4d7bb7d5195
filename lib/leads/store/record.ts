/**
 * The one record shape of the lead store: what it returns for a lead, and what it takes for a
 * note and an event. Types and pure conversions only (no database), so pure rules, the bench
 * baseline and tests can use them.
 */
import { Prisma } from "@/lib/generated/prisma/browser";
import type { ActorType, LeadStatus } from "@/lib/generated/prisma/enums";

/** Prisma's decimal (decimal.js), from the browser-safe entry point. */
export const Decimal = Prisma.Decimal;
export type Decimal = InstanceType<typeof Prisma.Decimal>;

/** A lead as the store returns it. `value` is a decimal, never a float, until serialization. */
export interface LeadRecord {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string;
  status: LeadStatus;
  value: Decimal | null;
  currency: string;
  lossReason: string | null;
  /** The managed loss reason `lossReason` links to; null for free text ("Other") or no reason. */
  lossReasonId: string | null;
  qualifiedAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A row of LEAD_COLUMNS as a driver returns it: status and value as text. */
export type LeadRow = Omit<LeadRecord, "status" | "value"> & { status: string; value: string | null };

export function leadRecordFromRow(row: LeadRow): LeadRecord {
  return { ...row, status: row.status as LeadStatus, value: row.value === null ? null : new Decimal(row.value) };
}

/** What one change writes to one lead's columns (from planLeadUpdate). */
export interface LeadUpdateData {
  status?: LeadStatus;
  /** Decimal string rounded to cents, or null to clear. */
  value?: string | null;
  lossReason?: string | null;
  qualifiedAt?: Date;
  wonAt?: Date;
  lostAt?: Date;
}

export interface LeadUpdateWrite {
  leadId: string;
  data: LeadUpdateData;
  /** A note alone touches updatedAt (last activity) but not the version: it overwrites nothing. */
  bumpVersion: boolean;
  /** The managed reason a written loss reason links to (null: "Other"); written with lossReason. */
  lossReasonId?: string | null;
}

export interface LeadNoteRow {
  id: string;
  organizationId: string;
  leadId: string;
  body: string;
  authorUserId: string | null;
  authorApiKeyId: string | null;
  createdAt: Date;
}

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];

export interface LeadEventRow {
  id: string;
  organizationId: string;
  leadId: string;
  type: "created" | "updated";
  changes: JsonObject;
  actorType: ActorType;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorName: string;
  source: string;
  requestId: string | null;
  noteId: string | null;
  createdAt: Date;
}

/** The columns of a new lead (INSERT_LEAD_SQL). */
export interface NewLeadRow {
  id: string;
  organizationId: string;
  name: string | null;
  email: string | null;
  emailNormalized: string | null;
  phone: string | null;
  phoneNormalized: string | null;
  company: string | null;
  source: string;
  currency: string;
  data: LeadUpdateData;
  lossReasonId: string | null;
  createdAt: Date;
}
