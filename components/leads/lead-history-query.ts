import { useInfiniteQuery } from "@tanstack/react-query";
import { apiRequest } from "@/components/api-client";
import type { LeadHistoryPage } from "@/lib/leads/get-lead";

export async function fetchLeadHistory(leadId: string, cursor: string | null, signal?: AbortSignal): Promise<LeadHistoryPage> {
  const query = cursor ? `?${new URLSearchParams({ cursor }).toString()}` : "";
  return apiRequest<LeadHistoryPage>("GET", `/api/app/leads/${encodeURIComponent(leadId)}/history${query}`, undefined, signal);
}

/**
 * The lead's history as the page shows it: the newest page rendered by the server, older pages
 * fetched on demand ("Load older"). Keyed by the newest entry, so a save (router.refresh) starts over.
 */
export function useLeadHistory(leadId: string, newest: LeadHistoryPage) {
  const newestId = newest.events[0]?.id ?? newest.notes[0]?.id ?? "none";
  return useInfiniteQuery({
    queryKey: ["lead-history", leadId, newestId],
    queryFn: ({ pageParam, signal }) => fetchLeadHistory(leadId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [newest], pageParams: [null] },
    // The server's page is fresh; the app refreshes it after a save.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
