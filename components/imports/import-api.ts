import { useQuery } from "@tanstack/react-query";
import { ApiError, apiRequest } from "@/components/api-client";
import type { ImportDto, PreviewRow } from "@/lib/imports/imports";
import type { ImportField, ImportMode } from "@/lib/imports/fields";

/** Data calls of the import page (the app's session routes under /api/app/leads/imports). */

export type ImportView = ImportDto & { links: { self: string; failedRows: string }; suggestedMapping?: Partial<Record<ImportField, string>> };
export type Mapping = Partial<Record<ImportField, string | null>>;

const BASE = "/api/app/leads/imports";

interface Envelope<T> {
  success: boolean;
  data?: T;
  error?: { code: string; message: string; details?: unknown };
}

/** Sends the file itself as the body (streamed by the browser), not a form. */
export async function uploadCsv(file: File): Promise<ImportView> {
  let response: Response;
  try {
    response = await fetch(`${BASE}?fileName=${encodeURIComponent(file.name)}`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "text/csv" },
      body: file,
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "NETWORK_ERROR", null);
  }
  const envelope = (await response.json().catch(() => null)) as Envelope<ImportView> | null;
  if (!response.ok || !envelope?.success || !envelope.data) {
    throw new ApiError(envelope?.error?.message ?? `The upload failed (HTTP ${response.status})`, response.status, envelope?.error?.code ?? "INTERNAL_ERROR", envelope?.error?.details ?? null);
  }
  return envelope.data;
}

export function usePreview(importId: string, mode: ImportMode, mapping: Mapping) {
  return useQuery({
    queryKey: ["import-preview", importId, mode, mapping],
    queryFn: ({ signal }) => apiRequest<{ rows: PreviewRow[] }>("POST", `${BASE}/${importId}/preview`, { mode, mapping }, signal),
    retry: false,
  });
}

export function startImport(importId: string, mode: ImportMode, mapping: Mapping): Promise<ImportView> {
  return apiRequest<ImportView>("POST", `${BASE}/${importId}/start`, { mode, mapping });
}

const finished = (status: ImportDto["status"] | undefined) => status === "completed" || status === "failed";

/** An import's progress, polled every second until it has finished. */
export function useImportProgress(importId: string) {
  return useQuery({
    queryKey: ["import", importId],
    queryFn: ({ signal }) => apiRequest<ImportView>("GET", `${BASE}/${importId}`, undefined, signal),
    refetchInterval: (query) => (finished(query.state.data?.status) ? false : 1000),
  });
}

export function useRecentImports() {
  return useQuery({
    queryKey: ["imports"],
    queryFn: ({ signal }) => apiRequest<ImportView[]>("GET", BASE, undefined, signal),
  });
}
