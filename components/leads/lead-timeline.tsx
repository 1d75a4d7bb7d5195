"use client";

import { ApiError } from "@/components/api-client";
import { formatMoney, STATUS_LABELS, FIELD_LABELS } from "@/components/format";
import { LocalTime } from "@/components/local-time";
import { buttonSecondary } from "@/components/ui/styles";
import type { ActorDto, LeadHistoryPage } from "@/lib/leads/get-lead";
import type { FieldChange, LeadDiff } from "@/lib/leads/plan-update";
import type { LeadStatus } from "@/lib/generated/prisma/enums";
import { useLeadHistory } from "./lead-history-query";

interface TimelineItem {
  id: string;
  kind: "created" | "updated" | "note";
  actor: ActorDto;
  source: string | null;
  createdAt: string;
  changes: LeadDiff;
  note: string | null;
}

export function actorLabel(actor: ActorDto): string {
  if (actor.type === "api_key") return `API key ${actor.name}`;
  return actor.name;
}

const SOURCE_LABELS: Record<string, string> = { app: "in the app", api: "through the API", import: "by import", system: "by Leadline" };

function describeValue(field: string, value: FieldChange["from"], currency: string): string {
  if (value === null || value === "") return "none";
  if (field === "status" && typeof value === "string" && value in STATUS_LABELS) return STATUS_LABELS[value as LeadStatus];
  if (field === "value") return formatMoney(typeof value === "number" ? value : Number(value), currency);
  return String(value);
}

/** Events (each with the note written in the same change) and any note without an event, newest first. */
function timelineItems(lead: Pick<LeadHistoryPage, "notes" | "events">): TimelineItem[] {
  const items: TimelineItem[] = lead.events.map((e) => ({
    id: e.id,
    kind: e.type === "created" ? "created" : "updated",
    actor: e.actor,
    source: e.source,
    createdAt: e.createdAt,
    changes: e.changes ?? {},
    note: e.note?.body ?? null,
  }));
  const notesWithEvent = new Set(lead.events.map((e) => e.note?.id).filter(Boolean));
  for (const note of lead.notes) {
    if (notesWithEvent.has(note.id)) continue;
    items.push({ id: note.id, kind: "note", actor: note.author, source: null, createdAt: note.createdAt, changes: {}, note: note.body });
  }
  return items.sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
}

function headline(item: TimelineItem): string {
  if (item.kind === "created") return "created the lead";
  const changed = Object.keys(item.changes).length > 0;
  if (!changed) return "added a note";
  return item.note ? "updated the lead and added a note" : "updated the lead";
}

/** The lead's timeline: the newest entries from the server, older ones loaded on demand. */
export function LeadTimeline({ leadId, currency, newest }: { leadId: string; currency: string; newest: LeadHistoryPage }) {
  const history = useLeadHistory(leadId, newest);
  const pages = history.data?.pages ?? [newest];
  const items = timelineItems({ notes: pages.flatMap((p) => p.notes), events: pages.flatMap((p) => p.events) });
  const lead = { currency };
  if (items.length === 0) return <p className="mt-4 text-sm text-slate-600">No activity yet.</p>;
  return (
    <>
    <ol className="mt-4 space-y-0" aria-label="Changes and notes, newest first" data-testid="timeline">
      {items.map((item) => {
        const changes = Object.entries(item.changes).filter((entry): entry is [string, FieldChange] => entry[1] !== undefined);
        return (
          <li key={item.id} className="relative border-l-2 border-slate-200 pb-6 pl-5 last:pb-0" data-testid="timeline-entry">
            <span aria-hidden="true" className="absolute -left-[7px] top-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-500" />
            <p className="text-sm text-slate-900">
              <span className="font-semibold" data-testid="timeline-actor">
                {actorLabel(item.actor)}
              </span>{" "}
              {headline(item)}
              {item.source && SOURCE_LABELS[item.source] ? <span className="text-slate-600"> {SOURCE_LABELS[item.source]}</span> : null}
            </p>
            <p className="text-xs text-slate-600">
              <LocalTime iso={item.createdAt} />
            </p>
            {changes.length > 0 ? (
              <ul className="mt-2 space-y-1 text-sm">
                {changes.map(([field, change]) => (
                  <li key={field} className="text-slate-800">
                    <span className="font-medium">{FIELD_LABELS[field] ?? field}:</span>{" "}
                    {item.kind === "created" ? null : (
                      <>
                        <span className="sr-only">from </span>
                        <span className="text-slate-600 line-through decoration-slate-400">{describeValue(field, change.from, lead.currency)}</span>
                        <span aria-hidden="true"> → </span>
                        <span className="sr-only">to </span>
                      </>
                    )}
                    <span className="font-medium">{describeValue(field, change.to, lead.currency)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {item.note ? (
              <blockquote className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800 ring-1 ring-inset ring-slate-200">
                {item.note}
              </blockquote>
            ) : null}
          </li>
        );
      })}
    </ol>
    {history.hasNextPage ? (
      <div className="mt-6 space-y-2">
        <button
          type="button"
          className={buttonSecondary}
          disabled={history.isFetchingNextPage}
          onClick={() => void history.fetchNextPage()}
        >
          {history.isFetchingNextPage ? "Loading older…" : "Load older"}
        </button>
        {history.isFetchNextPageError ? (
          <p role="alert" className="text-sm text-red-700">
            {history.error instanceof ApiError ? history.error.message : "The older entries could not be loaded. Try again."}
          </p>
        ) : null}
      </div>
    ) : null}
    </>
  );
}
