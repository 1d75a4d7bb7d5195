import { apiRequest } from "@/components/api-client";
import type { LossReasonDto } from "@/lib/loss-reasons/loss-reasons";

/** Data access of the loss-reason settings (GET/POST/PATCH /api/settings/loss-reasons). */

export const LOSS_REASONS_KEY = ["settings", "loss-reasons"] as const;

export const fetchLossReasons = (signal?: AbortSignal) => apiRequest<LossReasonDto[]>("GET", "/api/settings/loss-reasons", undefined, signal);
export const addLossReason = (name: string) => apiRequest<LossReasonDto>("POST", "/api/settings/loss-reasons", { name });
export const patchLossReason = (id: string, body: { name?: string; archived?: boolean }) =>
  apiRequest<LossReasonDto>("PATCH", `/api/settings/loss-reasons/${encodeURIComponent(id)}`, body);
export const putLossReasonOrder = (ids: string[]) => apiRequest<LossReasonDto[]>("PUT", "/api/settings/loss-reasons/order", { ids });
