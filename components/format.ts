import type { LeadStatus } from "@/lib/generated/prisma/enums";

/** Formatting shared by server and client components. A fixed locale keeps server and browser output identical. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(value: number | null, currency: string): string {
  if (value === null) return "—";
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 2 });
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

export const STATUS_LABELS: Record<LeadStatus, string> = {
  open: "Open",
  qualified: "Qualified",
  won: "Won",
  lost: "Lost",
};

export const FIELD_LABELS: Record<string, string> = {
  status: "Status",
  value: "Value",
  lossReason: "Loss reason",
  note: "Note",
};
