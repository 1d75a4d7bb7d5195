import type { Metadata } from "next";
import Link from "next/link";
import { NewLeadForm } from "@/components/leads/new-lead-form";
import { cardClass, linkClass } from "@/components/ui/styles";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New lead" };

export default async function NewLeadPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/leads" className={linkClass}>
          ← All leads
        </Link>
      </nav>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">New lead</h1>
        <p className="mt-1 text-sm text-slate-600">Give at least a name, an e-mail address or a phone number.</p>
      </div>
      <div className={`${cardClass} p-6`}>
        <NewLeadForm currency={user.organization.currency} />
      </div>
    </div>
  );
}
