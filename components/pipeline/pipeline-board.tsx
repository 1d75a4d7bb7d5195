"use client";

import { DndContext, DragOverlay, PointerSensor, pointerWithin, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from "@dnd-kit/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/api-client";
import { formatMoney, STATUS_LABELS } from "@/components/format";
import { LocalTime } from "@/components/local-time";
import type { PickableReason } from "@/components/loss-reasons/loss-reason-picker";
import { buttonSecondary, inputClass, labelClass, linkClass } from "@/components/ui/styles";
import type { LeadStatusValue } from "@/lib/leads/normalize";
import type { LeadDto } from "@/lib/leads/serialize";
import { lossReasonLabel } from "@/lib/loss-reasons/schemas";
import { LossReasonDialog } from "./loss-reason-dialog";
import { MoveMenu } from "./move-menu";
import {
  boardKey,
  fetchBoard,
  fetchMoreCards,
  filtersToQuery,
  moveLeadRequest,
  withCardMoved,
  type MoveRequest,
  type PipelineBoard,
  type PipelineColumn,
  type PipelineFilters,
} from "./pipeline-query";

const ACCENTS: Record<LeadStatusValue, string> = {
  open: "border-t-sky-500",
  qualified: "border-t-violet-500",
  won: "border-t-emerald-600",
  lost: "border-t-rose-600",
};

const leadName = (lead: LeadDto) => lead.name ?? lead.email ?? lead.phone ?? "Unnamed lead";

function CardBody({ lead, children }: { lead: LeadDto; children?: React.ReactNode }) {
  return (
    <>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate text-sm font-semibold text-slate-900">{children ?? leadName(lead)}</p>
          <p className="truncate text-xs text-slate-600">{lead.company ?? "No company"}</p>
        </div>
        <p className="shrink-0 text-sm font-medium tabular-nums text-slate-900">{formatMoney(lead.value, lead.currency)}</p>
      </div>
      {lead.status === "lost" && lead.lossReason ? (
        <p className="mt-1 truncate text-xs text-rose-800" data-testid="card-loss-reason">
          {lossReasonLabel(lead.lossReason, lead.lossReasonId)}
        </p>
      ) : null}
    </>
  );
}

function Card({ lead, onMove, pending }: { lead: LeadDto; onMove: (lead: LeadDto, to: LeadStatusValue) => void; pending: boolean }) {
  // Pointer dragging only: the keyboard way is the "Move to…" menu, so the card itself is no extra tab stop.
  const { listeners, setNodeRef, isDragging } = useDraggable({ id: lead.id, data: { lead } });
  return (
    <li
      ref={setNodeRef}
      {...listeners}
      data-testid="pipeline-card"
      data-lead-id={lead.id}
      aria-busy={pending || undefined}
      className={`cursor-grab touch-none rounded-md border border-slate-200 bg-white p-3 shadow-sm active:cursor-grabbing ${isDragging ? "opacity-40" : ""}`}
    >
      <CardBody lead={lead}>
        <Link href={`/leads/${lead.id}` as Route} className={linkClass}>
          {leadName(lead)}
        </Link>
      </CardBody>
      <div className="mt-2 flex items-center justify-between gap-2">
        <p className="min-w-0 text-xs text-slate-600">
          Last activity <LocalTime iso={lead.updatedAt} mode="relative" />
        </p>
        <MoveMenu leadName={leadName(lead)} status={lead.status} disabled={pending} onMove={(to) => onMove(lead, to)} />
      </div>
    </li>
  );
}

function Column({
  column,
  currency,
  onMove,
  onLoadMore,
  loadingMore,
  pendingIds,
}: {
  column: PipelineColumn;
  currency: string;
  onMove: (lead: LeadDto, to: LeadStatusValue) => void;
  onLoadMore: () => void;
  loadingMore: boolean;
  pendingIds: Set<string>;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: column.status });
  const headingId = useId();
  const label = STATUS_LABELS[column.status];
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      data-testid={`pipeline-column-${column.status}`}
      className={`flex w-[82vw] max-w-sm shrink-0 snap-start flex-col rounded-lg border border-t-4 border-slate-200 ${ACCENTS[column.status]} bg-slate-100/70 sm:w-72 lg:w-auto lg:max-w-none ${
        isOver ? "ring-2 ring-brand-500" : ""
      }`}
    >
      <header className="border-b border-slate-200 px-3 py-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          {label}
        </h2>
        <p className="text-xs text-slate-700" data-testid="column-summary">
          <span data-testid="column-count">{column.count.toLocaleString("en-US")}</span> {column.count === 1 ? "lead" : "leads"} ·{" "}
          <span data-testid="column-value">{formatMoney(column.value, currency)}</span>
        </p>
      </header>
      {column.cards.length === 0 ? (
        <p className="px-3 py-6 text-center text-sm text-slate-600">No {label.toLowerCase()} leads{column.count > 0 ? " loaded" : ""}. Drop a card here.</p>
      ) : (
        <ul className="flex max-h-[70vh] flex-col gap-2 overflow-y-auto p-2" aria-label={`${label} leads`}>
          {column.cards.map((lead) => (
            <Card key={lead.id} lead={lead} onMove={onMove} pending={pendingIds.has(lead.id)} />
          ))}
        </ul>
      )}
      {column.nextCursor ? (
        <div className="border-t border-slate-200 p-2">
          <button type="button" className={`${buttonSecondary} w-full`} onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : `Load more ${label.toLowerCase()} leads`}
          </button>
        </div>
      ) : null}
    </section>
  );
}

type MoveContext = { previous?: PipelineBoard };

/**
 * The pipeline: a column per status with its count and value, newest cards first. A card moves by
 * drag and drop or by its "Move to…" menu; moving to lost asks for the reason first. The move shows
 * at once (optimistic) and is undone when the server refuses it, e.g. because someone changed the
 * lead since the board loaded.
 */
export function PipelineBoardView({ initial, initialFilters, lossReasons }: { initial: PipelineBoard; initialFilters: PipelineFilters; lossReasons: PickableReason[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = useId();
  const [filters, setFilters] = useState(initialFilters);
  const [searchText, setSearchText] = useState(initialFilters.search);
  const [askingLoss, setAskingLoss] = useState<LeadDto | null>(null);
  const [dragging, setDragging] = useState<LeadDto | null>(null);
  const [loadingMore, setLoadingMore] = useState<LeadStatusValue | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const key = boardKey(filters);
  const isInitial = filters.search === initialFilters.search && filters.source === initialFilters.source;

  const board = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetchBoard(filters, signal),
    initialData: isInitial ? initial : undefined,
    placeholderData: (previous) => previous,
  });
  const data = board.data;

  // The filters live in the URL, so a filtered board can be shared and survives a reload.
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(searchTimer.current), []);
  const applyFilters = (next: PipelineFilters) => {
    setFilters(next);
    const query = filtersToQuery(next);
    router.replace((query ? `/pipeline?${query}` : "/pipeline") as Route, { scroll: false });
  };

  const move = useMutation<LeadDto, Error, MoveRequest, MoveContext>({
    mutationFn: moveLeadRequest,
    onMutate: async ({ lead, to }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<PipelineBoard>(key);
      if (previous) queryClient.setQueryData(key, withCardMoved(previous, { ...lead, status: to }));
      return { previous };
    },
    onSuccess: (saved, { lead }) => {
      queryClient.setQueryData<PipelineBoard>(key, (current) => (current ? withCardMoved(current, saved) : current));
      const message = `${leadName(lead)} moved to ${STATUS_LABELS[saved.status]}`;
      toast.success(message);
      setAnnouncement(message);
      void queryClient.invalidateQueries({ queryKey: ["leads"] });
    },
    onError: (error, { lead, to }, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
      const details = error instanceof ApiError ? (error.details as { reason?: string; lead?: LeadDto } | null) : null;
      let message: string;
      if (details?.reason === "STALE_VERSION") {
        const now = details.lead?.status;
        message = `${leadName(lead)} was not moved: someone else changed this lead since the board loaded${
          now && now !== lead.status ? ` (it is now ${STATUS_LABELS[now]})` : ""
        }. The card is back and the board is refreshed.`;
        void queryClient.invalidateQueries({ queryKey: ["pipeline"] });
      } else {
        message = `${leadName(lead)} was not moved to ${STATUS_LABELS[to]}: ${error.message}`;
      }
      toast.error(message, { duration: 10_000 });
      setAnnouncement(message);
    },
  });

  const pendingIds = new Set(move.isPending && move.variables ? [move.variables.lead.id] : []);

  function requestMove(lead: LeadDto, to: LeadStatusValue) {
    if (lead.status === to) return;
    if (to === "lost") setAskingLoss(lead);
    else move.mutate({ lead, to });
  }

  async function loadMore(column: PipelineColumn) {
    if (!column.nextCursor) return;
    setLoadingMore(column.status);
    try {
      const more = await fetchMoreCards(filters, column.status, column.nextCursor);
      queryClient.setQueryData<PipelineBoard>(key, (current) =>
        current
          ? {
              ...current,
              columns: current.columns.map((c) =>
                c.status === column.status ? { ...c, cards: [...c.cards, ...more.cards.filter((m) => !c.cards.some((x) => x.id === m.id))], nextCursor: more.nextCursor } : c,
              ),
            }
          : current,
      );
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "Could not load more leads");
    } finally {
      setLoadingMore(null);
    }
  }

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const onDragStart = (event: DragStartEvent) => setDragging((event.active.data.current as { lead?: LeadDto } | undefined)?.lead ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const lead = (event.active.data.current as { lead?: LeadDto } | undefined)?.lead;
    const to = event.over?.id as LeadStatusValue | undefined;
    if (lead && to) requestMove(lead, to);
  };

  return (
    <div className="space-y-4">
      <form role="search" aria-label="Filter the board" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <div className="min-w-56 flex-1 space-y-1.5">
          <label htmlFor={`${ids}-search`} className={labelClass}>
            Search
          </label>
          <input
            id={`${ids}-search`}
            type="search"
            value={searchText}
            placeholder="Name, e-mail or phone"
            className={inputClass()}
            onChange={(e) => {
              const text = e.target.value;
              setSearchText(text);
              clearTimeout(searchTimer.current);
              searchTimer.current = setTimeout(() => applyFilters({ ...filters, search: text }), 300);
            }}
          />
        </div>
        <div className="w-48 space-y-1.5">
          <label htmlFor={`${ids}-source`} className={labelClass}>
            Source
          </label>
          <select id={`${ids}-source`} value={filters.source} className={inputClass()} onChange={(e) => applyFilters({ ...filters, source: e.target.value })}>
            <option value="">All sources</option>
            {(data?.sources ?? []).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <p className="pb-2 text-sm text-slate-600" aria-live="polite">
          {board.isFetching ? "Loading…" : ""}
        </p>
      </form>
      <p className="text-sm text-slate-600">Drag a card to another column, or use its “Move to…” button. Each column shows its newest 50 leads first.</p>
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>

      {board.isError && !data ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          The board could not be loaded: {board.error.message}
        </p>
      ) : null}

      {data ? (
        <DndContext id="pipeline-board" sensors={sensors} collisionDetection={pointerWithin} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
          <div className="-mx-4 flex snap-x gap-3 overflow-x-auto px-4 pb-2 sm:mx-0 sm:px-0 lg:grid lg:grid-cols-4 lg:overflow-visible" data-testid="pipeline-board">
            {data.columns.map((column) => (
              <Column
                key={column.status}
                column={column}
                currency={data.currency}
                onMove={requestMove}
                onLoadMore={() => void loadMore(column)}
                loadingMore={loadingMore === column.status}
                pendingIds={pendingIds}
              />
            ))}
          </div>
          <DragOverlay dropAnimation={null}>
            {dragging ? (
              <div className="w-64 rotate-2 rounded-md border border-brand-500 bg-white p-3 shadow-lg">
                <CardBody lead={dragging} />
              </div>
            ) : null}
          </DragOverlay>
        </DndContext>
      ) : null}

      {askingLoss ? (
        <LossReasonDialog
          leadName={leadName(askingLoss)}
          reasons={lossReasons}
          onCancel={() => setAskingLoss(null)}
          onConfirm={(lossReason) => {
            const lead = askingLoss;
            setAskingLoss(null);
            move.mutate({ lead, to: "lost", lossReason });
          }}
        />
      ) : null}
    </div>
  );
}
