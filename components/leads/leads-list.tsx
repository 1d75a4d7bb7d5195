"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { ApiError } from "@/components/api-client";
import { formatMoney, STATUS_LABELS } from "@/components/format";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { buttonPrimary, buttonSecondary, inputClass, labelClass, linkClass } from "@/components/ui/styles";
import { LEAD_STATUSES } from "@/lib/leads/normalize";
import { ExportCsv } from "./export-csv";
import {
  DEFAULT_SORT,
  fetchLeads,
  fetchLeadsSummary,
  firstPage,
  leadsQueryKey,
  leadsSummaryKey,
  readView,
  SORT_OPTIONS,
  viewToQuery,
  type LeadsView,
} from "./leads-query";

const SEARCH_DEBOUNCE_MS = 300;

export function LeadsList() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = readView(new URLSearchParams(searchParams.toString()));
  const ids = useId();

  const hrefFor = (next: LeadsView): Route => {
    const query = viewToQuery(next);
    return (query ? `${pathname}?${query}` : pathname) as Route;
  };
  // Filters, sort and pages are history entries (the back button undoes them); typing is not.
  const navigate = (next: LeadsView, mode: "push" | "replace") => {
    const href = hrefFor(next);
    if (mode === "push") router.push(href, { scroll: false });
    else router.replace(href, { scroll: false });
  };

  // The search box follows the URL (back button, shared link) unless the user is typing.
  const [searchInput, setSearchInput] = useState(view.search);
  const [syncedSearch, setSyncedSearch] = useState(view.search);
  if (view.search !== syncedSearch) {
    setSyncedSearch(view.search);
    setSearchInput(view.search);
  }

  // The debounce applies the typed text to the view as it is when the timer fires, not when typing began.
  const latest = useRef({ view, navigate });
  useEffect(() => {
    latest.current = { view, navigate };
  });
  // Opening a lead cancels a pending search, so the debounce cannot navigate back to the list.
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const cancelPendingSearch = () => clearTimeout(searchTimer.current);
  useEffect(() => {
    searchTimer.current = setTimeout(() => {
      const { view: current, navigate: go } = latest.current;
      if (searchInput.trim() === current.search.trim()) return;
      setSyncedSearch(searchInput.trim());
      go({ ...firstPage(current), search: searchInput }, "replace");
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(searchTimer.current);
  }, [searchInput]);

  // The first page arrives rendered and hydrated from the server (app/(app)/leads/page.tsx): no skeleton on a normal load.
  const query = useQuery({
    queryKey: leadsQueryKey(view),
    queryFn: ({ signal }) => fetchLeads(view, signal),
    placeholderData: keepPreviousData,
  });
  // The total value comes on its own, so the page never waits for a sum over every matching lead.
  const summary = useQuery({
    queryKey: leadsSummaryKey(view),
    queryFn: ({ signal }) => fetchLeadsSummary(view, signal),
    placeholderData: keepPreviousData,
  });

  const filtered = view.search !== "" || view.status !== "";
  const data = query.data;
  const updating = query.isFetching && query.isPlaceholderData;

  return (
    <div className="space-y-4">
      <form
        role="search"
        aria-label="Leads"
        className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_auto_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          setSyncedSearch(searchInput.trim());
          navigate({ ...firstPage(view), search: searchInput }, "replace");
        }}
      >
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-search`} className={labelClass}>
            Search
          </label>
          <input
            id={`${ids}-search`}
            type="search"
            value={searchInput}
            onChange={(e) => setSearchInput(e.target.value)}
            placeholder="Name, e-mail or phone"
            autoComplete="off"
            className={inputClass()}
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-status`} className={labelClass}>
            Status
          </label>
          <select
            id={`${ids}-status`}
            value={view.status}
            onChange={(e) => navigate({ ...firstPage(view), status: e.target.value as LeadsView["status"] }, "push")}
            className={inputClass()}
          >
            <option value="">All statuses</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-sort`} className={labelClass}>
            Sort by
          </label>
          <select
            id={`${ids}-sort`}
            value={view.sort}
            onChange={(e) => navigate({ ...firstPage(view), sort: e.target.value }, "push")}
            className={inputClass()}
          >
            {SORT_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      </form>

      <div aria-live="polite" className="flex min-h-6 flex-wrap items-baseline justify-between gap-2 text-sm" data-testid="leads-summary">
        {data ? (
          <>
            <p className="text-slate-700">
              {data.pagination.totalIsEstimate ? "about " : null}
              <span className="font-semibold text-slate-900" data-testid="leads-total">
                {data.pagination.total.toLocaleString("en-US")}
              </span>{" "}
              {data.pagination.total === 1 ? "lead" : "leads"}
              {filtered ? " match" : ""}
              {updating ? <span className="ml-2 text-slate-600">Updating…</span> : null}
            </p>
            <p className="text-slate-700">
              Total value{filtered ? " of these leads" : ""}:{" "}
              {summary.data ? (
                <span className="font-semibold text-slate-900" data-testid="total-value">
                  {formatMoney(summary.data.totalValue, summary.data.currency)}
                </span>
              ) : summary.isError ? (
                <span className="text-slate-600">not available</span>
              ) : (
                <span className="text-slate-600" aria-busy="true">
                  adding up…
                </span>
              )}
            </p>
          </>
        ) : null}
      </div>
      <div className="flex justify-end">
        <ExportCsv view={view} />
      </div>

      {query.isError && !data ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-900">
          <p className="font-semibold">The leads could not be loaded.</p>
          <p className="mt-1">{query.error instanceof ApiError ? query.error.message : "Check your connection and try again."}</p>
          <button type="button" className={`${buttonSecondary} mt-4`} onClick={() => void query.refetch()}>
            Try again
          </button>
        </div>
      ) : !data ? (
        <LeadsTableSkeleton />
      ) : data.leads.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="text-base font-semibold text-slate-900">
            {data.pagination.total > 0 ? "This page is empty" : filtered ? "No leads match" : "No leads yet"}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {data.pagination.total > 0
              ? "The leads this link pointed to have moved; start again from the first page."
              : filtered
                ? "Try another search or status."
                : "Leads you create, or that arrive through the API, show up here."}
          </p>
          <div className="mt-4 flex justify-center gap-3">
            {data.pagination.total > 0 ? (
              <Link href={hrefFor(firstPage(view))} className={buttonSecondary}>
                Go to the first page
              </Link>
            ) : null}
            {filtered && data.pagination.total === 0 ? (
              <button
                type="button"
                className={buttonSecondary}
                onClick={() => {
                  setSearchInput("");
                  navigate({ search: "", status: "", sort: view.sort, cursor: "", page: 1 }, "push");
                }}
              >
                Clear search and filter
              </button>
            ) : null}
            <Link href="/leads/new" className={buttonPrimary}>
              New lead
            </Link>
          </div>
        </div>
      ) : (
        <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm transition-opacity ${updating ? "opacity-60" : ""}`} aria-busy={updating}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">
              Leads, {SORT_OPTIONS.find((o) => o.value === view.sort)?.label.toLowerCase() ?? DEFAULT_SORT}, page {view.page} of{" "}
              {data.pagination.totalIsEstimate ? "about " : ""}
              {data.pagination.totalPages}
            </caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3">Lead</th>
                <th scope="col" className="hidden px-4 py-3 md:table-cell">Contact</th>
                <th scope="col" className="px-4 py-3">Status</th>
                <th scope="col" className="px-4 py-3 text-right">Value</th>
                <th scope="col" className="hidden px-4 py-3 sm:table-cell">Last activity</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.leads.map((lead) => (
                <tr key={lead.id} className="hover:bg-slate-50" data-testid="lead-row">
                  <td className="px-4 py-3">
                    <Link href={`/leads/${lead.id}` as Route} onClick={cancelPendingSearch} className={`font-medium ${linkClass}`}>
                      {lead.name ?? lead.email ?? lead.phone ?? "Unnamed lead"}
                    </Link>
                    {lead.company ? <p className="text-slate-600">{lead.company}</p> : null}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">
                    {lead.email ? <p className="break-all">{lead.email}</p> : null}
                    {lead.phone ? <p>{lead.phone}</p> : null}
                    {!lead.email && !lead.phone ? <span className="text-slate-600">—</span> : null}
                  </td>
                  <td className="px-4 py-3">
                    <StatusBadge status={lead.status} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums text-slate-900">{formatMoney(lead.value, lead.currency)}</td>
                  <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 sm:table-cell">
                    <LocalTime iso={lead.updatedAt} mode="relative" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {data && (data.pagination.hasMore || view.cursor || view.page > 1) ? (
        <nav aria-label="Pagination" className="flex items-center justify-between gap-4 text-sm">
          <p className="text-slate-700" data-testid="page-position">
            Page {view.page.toLocaleString("en-US")} of {data.pagination.totalIsEstimate ? "about " : ""}
            {Math.max(view.page, data.pagination.totalPages).toLocaleString("en-US")}
          </p>
          <div className="flex gap-2">
            {view.page > 1 || view.cursor ? (
              <Link href={hrefFor(previousView(view, data.pagination.prevCursor))} scroll={false} className={buttonSecondary} rel="prev">
                Previous
              </Link>
            ) : (
              <span className={`${buttonSecondary} opacity-50`} aria-disabled="true">
                Previous
              </span>
            )}
            {data.pagination.hasMore && data.pagination.nextCursor ? (
              <Link
                href={hrefFor({ ...view, cursor: data.pagination.nextCursor, page: view.page + 1 })}
                scroll={false}
                className={buttonSecondary}
                rel="next"
              >
                Next
              </Link>
            ) : (
              <span className={`${buttonSecondary} opacity-50`} aria-disabled="true">
                Next
              </span>
            )}
          </div>
        </nav>
      ) : null}
    </div>
  );
}

/** The page before: by its cursor, or the first page itself (which needs none). */
function previousView(view: LeadsView, prevCursor: string | null): LeadsView {
  if (!prevCursor || view.page <= 2) return firstPage(view);
  return { ...view, cursor: prevCursor, page: view.page - 1 };
}

function LeadsTableSkeleton() {
  return (
    <div role="status" aria-label="Loading leads" className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="flex animate-pulse items-center gap-4 border-b border-slate-100 px-4 py-4 last:border-0">
          <div className="h-4 w-1/4 rounded bg-slate-200" />
          <div className="h-4 w-1/4 rounded bg-slate-100" />
          <div className="h-5 w-16 rounded-full bg-slate-200" />
          <div className="ml-auto h-4 w-20 rounded bg-slate-100" />
        </div>
      ))}
      <span className="sr-only">Loading leads…</span>
    </div>
  );
}

export function LeadsListSkeleton() {
  return <LeadsTableSkeleton />;
}
