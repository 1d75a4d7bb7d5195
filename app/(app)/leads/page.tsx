import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { LeadsList } from "@/components/leads/leads-list";
import { leadsQueryKey, readView, viewToApiQuery, type LeadsPage as LeadsPageData } from "@/components/leads/leads-query";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { listLeads } from "@/lib/leads/list-leads";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";
import { parseWith } from "@/lib/validation";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Leads" };

export default async function LeadsPage({ searchParams }: PageProps<"/leads">) {
  const user = await requireUser();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(key, first);
  }
  const view = readView(params);

  // The page the URL names is read here, with the same service and query as GET /api/app/leads, and
  // handed to the list's TanStack Query cache: the first paint has the leads, no skeleton, no second fetch.
  const queryClient = new QueryClient();
  try {
    const result = await listLeads(user.organization, parseWith(listLeadsQuerySchema, viewToApiQuery(view)));
    const page: LeadsPageData = { leads: result.leads, pagination: result.pagination, currency: user.organization.currency };
    queryClient.setQueryData(leadsQueryKey(view), page);
  } catch (error) {
    // A bad link (an old cursor, a page too deep): the list asks the route itself and shows its message.
    if (!(error instanceof AppError)) throw error;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Leads"
        description="Search, filter and open a lead to update it."
        actions={
          <div className="flex gap-3">
            <Link href="/leads/import" className={buttonSecondary}>
              Import CSV
            </Link>
            <Link href="/leads/new" className={buttonPrimary}>
              New lead
            </Link>
          </div>
        }
      />
      {/* No Suspense boundary: the page is rendered per request (it reads the session), so the list's
          URL state is there on the server and the first paint is the list itself, never a skeleton. */}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <LeadsList />
      </HydrationBoundary>
    </div>
  );
}
