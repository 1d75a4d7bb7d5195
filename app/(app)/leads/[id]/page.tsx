import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { formatMoney } from "@/components/format";
import { CreatedToast } from "@/components/leads/created-toast";
import { LeadForm } from "@/components/leads/lead-form";
import { LeadTimeline } from "@/components/leads/lead-timeline";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Breadcrumbs } from "@/components/ui/page-header";
import { cardClass, linkClass } from "@/components/ui/styles";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getLeadOrThrow, type LeadDetailDto } from "@/lib/leads/get-lead";
import { listLossReasons } from "@/lib/loss-reasons/loss-reasons";
import { lossReasonLabel } from "@/lib/loss-reasons/schemas";

/** One read per request, shared by the metadata and the page. */
const getLead = cache(async (organizationId: string, id: string) => getLeadOrThrow({ id: organizationId }, id));

async function loadLead(id: string): Promise<LeadDetailDto> {
  const user = await requireUser();
  try {
    return await getLead(user.organization.id, id);
  } catch (error) {
    // Another organization's lead is "not found" too: its existence is not revealed.
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: PageProps<"/leads/[id]">): Promise<Metadata> {
  const { id } = await params;
  const lead = await loadLead(id);
  return { title: lead.name ?? lead.email ?? lead.phone ?? "Lead" };
}

export default async function LeadPage({ params, searchParams }: PageProps<"/leads/[id]">) {
  const { id } = await params;
  const { created } = await searchParams;
  const lead = await loadLead(id);
  const title = lead.name ?? lead.email ?? lead.phone ?? "Unnamed lead";
  const lossReasons = await listLossReasons((await requireUser()).organization.id, { activeOnly: true });

  return (
    <div className="space-y-6">
      {created ? <CreatedToast /> : null}
      <Breadcrumbs links={[{ href: "/leads", label: "← All leads" }]} />

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
            <StatusBadge status={lead.status} />
          </div>
          {lead.company ? <p className="mt-1 text-slate-700">{lead.company}</p> : null}
        </div>
        <p className="text-right">
          <span className="block text-xs font-medium uppercase tracking-wide text-slate-600">Value</span>
          <span className="text-2xl font-semibold tabular-nums" data-testid="lead-value">
            {formatMoney(lead.value, lead.currency)}
          </span>
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)]">
        <div className="space-y-6">
          <section aria-labelledby="details-heading" className={`${cardClass} p-5`}>
            <h2 id="details-heading" className="text-base font-semibold">
              Details
            </h2>
            <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-slate-600">E-mail</dt>
              <dd className="break-all">{lead.email ? <a className={linkClass} href={`mailto:${lead.email}`}>{lead.email}</a> : "—"}</dd>
              <dt className="text-slate-600">Phone</dt>
              <dd>{lead.phone ? <a className={linkClass} href={`tel:${lead.phone}`}>{lead.phone}</a> : "—"}</dd>
              <dt className="text-slate-600">Company</dt>
              <dd>{lead.company ?? "—"}</dd>
              <dt className="text-slate-600">Source</dt>
              <dd>{lead.source}</dd>
              {lead.status === "lost" ? (
                <>
                  <dt className="text-slate-600">Loss reason</dt>
                  <dd data-testid="lead-loss-reason">{lossReasonLabel(lead.lossReason, lead.lossReasonId) ?? "—"}</dd>
                </>
              ) : null}
              <dt className="text-slate-600">Created</dt>
              <dd>
                <LocalTime iso={lead.createdAt} />
              </dd>
              <dt className="text-slate-600">Last activity</dt>
              <dd>
                <LocalTime iso={lead.updatedAt} />
              </dd>
            </dl>
          </section>

          <section aria-labelledby="update-heading" className={`${cardClass} p-5`}>
            <h2 id="update-heading" className="text-base font-semibold">
              Update lead
            </h2>
            <LeadForm lead={lead} lossReasons={lossReasons.map(({ id, name }) => ({ id, name }))} />
          </section>
        </div>

        <section aria-labelledby="timeline-heading" className={`${cardClass} self-start p-5`}>
          <h2 id="timeline-heading" className="text-base font-semibold">
            Timeline
          </h2>
          <LeadTimeline leadId={lead.id} currency={lead.currency} newest={{ notes: lead.notes, events: lead.events, nextCursor: lead.historyCursor }} />
        </section>
      </div>
    </div>
  );
}
