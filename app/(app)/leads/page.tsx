import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { LeadsList, LeadsListSkeleton } from "@/components/leads/leads-list";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Leads" };

export default function LeadsPage() {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Leads</h1>
          <p className="mt-1 text-sm text-slate-600">Search, filter and open a lead to update it.</p>
        </div>
        <div className="flex gap-3">
          <Link href="/leads/import" className={buttonSecondary}>
            Import CSV
          </Link>
          <Link href="/leads/new" className={buttonPrimary}>
            New lead
          </Link>
        </div>
      </div>
      {/* The list reads its state from the URL, which needs a Suspense boundary. */}
      <Suspense fallback={<LeadsListSkeleton />}>
        <LeadsList />
      </Suspense>
    </div>
  );
}
