import { NextResponse } from "next/server";
import { RETRY_AFTER_SECONDS, toAppError } from "@/lib/errors";
import { logger } from "@/lib/log";

/** The one reply envelope: { success, data | error, meta: { requestId, timestamp, ... } }. */

export interface Meta {
  requestId: string;
  timestamp: string;
  [key: string]: unknown;
}

function meta(requestId: string, extra?: Record<string, unknown>): Meta {
  return { requestId, timestamp: new Date().toISOString(), ...extra };
}

export function jsonOk(requestId: string, data: unknown, init: { status?: number; meta?: Record<string, unknown> } = {}) {
  return NextResponse.json(
    { success: true, data, meta: meta(requestId, init.meta) },
    { status: init.status ?? 200, headers: { "X-Request-Id": requestId } },
  );
}

export function jsonError(requestId: string, thrown: unknown) {
  const error = toAppError(thrown);
  if (error.code === "INTERNAL_ERROR") {
    // Logged for operators with the request id; the client only sees the generic message.
    logger.error({ requestId, err: thrown }, "Unhandled error");
  } else if (error.code === "SERVICE_UNAVAILABLE") {
    logger.warn({ requestId, err: thrown }, "Database unavailable");
  }
  const headers: Record<string, string> = { "X-Request-Id": requestId };
  if (error.code === "SERVICE_UNAVAILABLE") headers["Retry-After"] = String(RETRY_AFTER_SECONDS);
  return NextResponse.json(
    {
      success: false,
      error: { code: error.code, message: error.message, details: error.details ?? null },
      meta: meta(requestId),
    },
    { status: error.status, headers },
  );
}
