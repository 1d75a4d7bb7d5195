import type { LeadStatus } from "@/lib/generated/prisma/enums";
import { STATUS_LABELS } from "./format";

const STYLES: Record<LeadStatus, string> = {
  open: "bg-sky-100 text-sky-900 ring-sky-300",
  qualified: "bg-violet-100 text-violet-900 ring-violet-300",
  won: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  lost: "bg-rose-100 text-rose-900 ring-rose-300",
};

export function StatusBadge({ status }: { status: LeadStatus }) {
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
