/** Calls the app's own JSON routes and unwraps the one envelope; failures throw ApiError. */

export interface ApiIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field issues of a VALIDATION_ERROR, grouped by field, for showing next to the inputs. */
  fieldErrors(): Partial<Record<string, string[]>> {
    const issues = (this.details as { issues?: ApiIssue[] } | null)?.issues ?? [];
    const errors: Partial<Record<string, string[]>> = {};
    for (const issue of issues) (errors[issue.field] ??= []).push(issue.message);
    return errors;
  }
}

interface Envelope<T> {
  success: boolean;
  data?: T;
  error?: { code: string; message: string; details?: unknown };
}

export async function apiRequest<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      // JSON even without a body: the session routes refuse other content types for changes (CSRF rule).
      headers: { accept: "application/json", ...(method === "GET" ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "NETWORK_ERROR", null);
  }
  const envelope = (await response.json().catch(() => null)) as Envelope<T> | null;
  if (!response.ok || !envelope?.success || envelope.data === undefined) {
    throw new ApiError(
      envelope?.error?.message ?? `The request failed (HTTP ${response.status})`,
      response.status,
      envelope?.error?.code ?? "INTERNAL_ERROR",
      envelope?.error?.details ?? null,
    );
  }
  return envelope.data;
}
