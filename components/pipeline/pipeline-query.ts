import { apiRequest } from "@/components/api-client";
import type { LeadStatusValue } from "@/lib/leads/normalize";
import type { LeadDto } from "@/lib/leads/serialize";
import type { PipelineBoard, PipelineColumn } from "@/lib/pipeline/pipeline";

/** Data access of the pipeline board: the board, "load more" of one column, and a move. */

export interface PipelineFilters {
  search: string;
  source: string;
}

export type { PipelineBoard, PipelineColumn };

export const boardKey = (filters: PipelineFilters) => ["pipeline", filters.search.trim(), filters.source] as const;

function filterQuery(filters: PipelineFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set("search", filters.search.trim());
  if (filters.source) params.set("source", filters.source);
  return params;
}

export function filtersToQuery(filters: PipelineFilters): string {
  return filterQuery(filters).toString();
}

export const fetchBoard = (filters: PipelineFilters, signal?: AbortSignal) =>
  apiRequest<PipelineBoard>("GET", `/api/app/pipeline?${filterQuery(filters).toString()}`, undefined, signal);

export function fetchMoreCards(filters: PipelineFilters, status: LeadStatusValue, cursor: string) {
  const params = filterQuery(filters);
  params.set("status", status);
  params.set("cursor", cursor);
  return apiRequest<{ cards: LeadDto[]; nextCursor: string | null }>("GET", `/api/app/pipeline/cards?${params.toString()}`);
}

export interface MoveRequest {
  lead: LeadDto;
  to: LeadStatusValue;
  lossReason?: string;
}

export const moveLeadRequest = ({ lead, to, lossReason }: MoveRequest) =>
  apiRequest<LeadDto>("POST", "/api/app/pipeline/move", { leadId: lead.id, status: to, expectedVersion: lead.version, ...(lossReason !== undefined ? { lossReason } : {}) });

/** The board with a card moved to another column, counts and totals adjusted (for the optimistic update). */
export function withCardMoved(board: PipelineBoard, moved: LeadDto): PipelineBoard {
  const value = moved.value ?? 0;
  return {
    ...board,
    columns: board.columns.map((column) => {
      const had = column.cards.find((c) => c.id === moved.id);
      if (had && column.status !== moved.status) {
        return { ...column, count: column.count - 1, value: column.value - (had.value ?? 0), cards: column.cards.filter((c) => c.id !== moved.id) };
      }
      if (column.status === moved.status) {
        if (had) return { ...column, cards: column.cards.map((c) => (c.id === moved.id ? moved : c)) };
        const cards = [...column.cards, moved].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
        return { ...column, count: column.count + 1, value: column.value + value, cards };
      }
      return column;
    }),
  };
}
