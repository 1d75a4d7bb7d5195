import { apiRequest } from "@/components/api-client";
import type { LeadDto } from "@/lib/leads/serialize";
import type { Pagination } from "@/lib/leads/list-leads";
import { LeadStatus } from "@/lib/generated/prisma/enums";

/** The list's state as it lives in the URL (and as GET /api/app/leads takes it). */
export interface LeadsView {
  search: string;
  status: LeadStatus | "";
  sort: string;
  /** Where the page starts (from the previous page's next/prev cursor); absent on the first page. */
  cursor: string;
  /** Page number shown to the user; with no cursor, an offset page of an old shared link. */
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
    cursor: params.get("cursor") ?? "",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The view of the first page with the same search, filter and sort. */
export const firstPage = (view: LeadsView): LeadsView => ({ ...view, cursor: "", page: 1 });

/** The URL query of a view; defaults are left out so shared links stay short. */
export function viewToQuery(view: LeadsView): string {
  const params = new URLSearchParams();
  if (view.search.trim()) params.set("search", view.search.trim());
  if (view.status) params.set("status", view.status);
  if (view.sort !== DEFAULT_SORT) params.set("sort", view.sort);
  if (view.cursor) params.set("cursor", view.cursor);
  if (view.page > 1) params.set("page", String(view.page));
  return params.toString();
}

/** What the list route is asked for a view: the page number only without a cursor (old links). */
export function viewToApiQuery(view: LeadsView): Record<string, string> {
  const query: Record<string, string> = { limit: String(PAGE_SIZE) };
  if (view.search.trim()) query.search = view.search.trim();
  if (view.status) query.status = view.status;
  if (view.sort !== DEFAULT_SORT) query.sort = view.sort;
  if (view.cursor) query.cursor = view.cursor;
  else if (view.page > 1) query.page = String(view.page);
  return query;
}

/** The view's filter only: the total value does not change from page to page. */
export function filterOf(view: LeadsView): Record<string, string> {
  const { search, status } = viewToApiQuery(firstPage(view));
  return { ...(search ? { search } : {}), ...(status ? { status } : {}) };
}

export const leadsQueryKey = (view: LeadsView) => ["leads", viewToApiQuery(view)] as const;
export const leadsSummaryKey = (view: LeadsView) => ["leads-summary", filterOf(view)] as const;

export interface LeadsPage {
  leads: LeadDto[];
  pagination: Pagination;
  currency: string;
}

export interface LeadsSummary {
  totalValue: number;
  currency: string;
}

export async function fetchLeads(view: LeadsView, signal?: AbortSignal): Promise<LeadsPage> {
  const query = new URLSearchParams(viewToApiQuery(view));
  return apiRequest<LeadsPage>("GET", `/api/app/leads?${query.toString()}`, undefined, signal);
}

export async function fetchLeadsSummary(view: LeadsView, signal?: AbortSignal): Promise<LeadsSummary> {
  const query = new URLSearchParams(filterOf(view));
  return apiRequest<LeadsSummary>("GET", `/api/app/leads/summary?${query.toString()}`, undefined, signal);
}
