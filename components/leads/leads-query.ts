import { apiRequest } from "@/components/api-client";
import type { LeadDto } from "@/lib/leads/serialize";
import type { Pagination } from "@/lib/leads/list-leads";
import { LeadStatus } from "@/lib/generated/prisma/enums";

/** The list's state as it lives in the URL (and as GET /api/app/leads takes it). */
export interface LeadsView {
  search: string;
  status: LeadStatus | "";
  sort: string;
  page: number;
}

export const DEFAULT_SORT = "createdAt:desc";
export const PAGE_SIZE = 25;

export const SORT_OPTIONS: { value: string; label: string }[] = [
  { value: "createdAt:desc", label: "Newest first" },
  { value: "createdAt:asc", label: "Oldest first" },
  { value: "value:desc", label: "Highest value" },
  { value: "value:asc", label: "Lowest value" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
];

const STATUSES = new Set<string>(Object.values(LeadStatus));

export function readView(params: URLSearchParams): LeadsView {
  const status = params.get("status") ?? "";
  const sort = params.get("sort") ?? DEFAULT_SORT;
  const page = Number(params.get("page") ?? "1");
  return {
    search: params.get("search") ?? "",
    status: STATUSES.has(status) ? (status as LeadStatus) : "",
    sort: SORT_OPTIONS.some((o) => o.value === sort) ? sort : DEFAULT_SORT,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The URL query of a view; defaults are left out so shared links stay short. */
export function viewToQuery(view: LeadsView): string {
  const params = new URLSearchParams();
  if (view.search.trim()) params.set("search", view.search.trim());
  if (view.status) params.set("status", view.status);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.page > 1) params.set("page", String(view.page));
  return params.toString();
}

export interface LeadsPage {
  leads: LeadDto[];
  pagination: Pagination;
  totalValue: number;
  currency: string;
}

export async function fetchLeads(view: LeadsView, signal?: AbortSignal): Promise<LeadsPage> {
  const query = new URLSearchParams(viewToQuery(view));
  query.set("limit", String(PAGE_SIZE));
  return apiRequest<LeadsPage>("GET", `/api/app/leads?${query.toString()}`, undefined, signal);
}
