import type { Metadata } from "next";
import { NewLeadForm } from "@/components/leads/new-lead-form";
import { cardClass } from "@/components/ui/styles";
import { requireUser } from "@/lib/auth/session";
import { Breadcrumbs, PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "New lead" };

export default async function NewLeadPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <Breadcrumbs links={[{ href: "/leads", label: "← All leads" }]} />
      <PageHeader title="New lead" description="Give at least a name, an e-mail address or a phone number." />
      <div className={`${cardClass} p-6`}>
        <NewLeadForm currency={user.organization.currency} />
      </div>
    </div>
  );
}
