import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";

/** The one table of error codes and their HTTP statuses. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

/** Seconds a client should wait before retrying a 503 (sent as Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field: string;
  message: string;
  /** The accepted values, where the field takes one of a fixed set. */
  allowed?: readonly string[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  const first = issues[0];
  const message = first ? (first.field ? `${first.field}: ${first.message}` : first.message) : "Invalid request";
  return new AppError("VALIDATION_ERROR", message, { issues });
}

export function issuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    const allowed =
      issue.code === "invalid_value" ? issue.values.filter((v): v is string => typeof v === "string") : undefined;
    return allowed ? { field, message: issue.message, allowed } : { field, message: issue.message };
  });
}

/** The PostgreSQL SQLSTATE of a database error, wherever the driver or Prisma put it. */
export function postgresErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown; driverAdapterError?: unknown }; cause?: unknown };
    for (const code of [candidate.originalCode, candidate.code, candidate.meta?.code]) {
      // SQLSTATEs are five characters; Prisma's own codes (P2025…) are skipped.
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("P")) return code;
    }
    current = candidate.meta?.driverAdapterError ?? candidate.cause;
  }
  return undefined;
}

/**
 * Codes that mean "the database cannot be reached right now", not "this request is wrong":
 * socket errors (Node), PostgreSQL's connection-exception class 08 and shutdown codes 57P01-03,
 * too many connections (53300), Prisma's P1001/P1002/P1017 and its pool timeout P2024.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH",
  "57P01", "57P02", "57P03", "53300",
  "P1001", "P1002", "P1017", "P2024",
]);
/** The kinds of @prisma/adapter-pg's DriverAdapterError for the same situations. */
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/**
 * node-postgres raises these on a lost connection as plain Errors with no code at all
 * (node_modules/pg/lib/client.js, pg-pool), and @prisma/adapter-pg passes them through unchanged.
 * Having no code to go by, they are recognised by their exact, fixed text, and only on a plain
 * Error without a code.
 */
const PG_CONNECTION_LOST = new Set([
  "Connection terminated unexpectedly",
  "Client has encountered a connection error and is not queryable",
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
]);

/**
 * True when the error (or what it wraps: `cause`, Prisma's `meta.driverAdapterError`) says the
 * database is unreachable. Decided by codes and kinds only, never by message text.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const record = error as { code?: unknown; errorCode?: unknown; kind?: unknown; cause?: unknown; meta?: unknown };
  for (const code of [record.code, record.errorCode]) {
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  }
  if (typeof record.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(record.kind)) return true;
  if (Object.getPrototypeOf(error) === Error.prototype && record.code === undefined && PG_CONNECTION_LOST.has((error as Error).message)) return true;
  const meta = record.meta as { driverAdapterError?: unknown } | undefined;
  return isDatabaseUnavailable(record.cause, depth + 1) || isDatabaseUnavailable(meta?.driverAdapterError, depth + 1);
}

/**
 * Maps anything thrown to an AppError. Known Prisma errors are mapped by code, never by message;
 * everything else becomes a generic 500 that reveals nothing about the server.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(issuesFromZod(error));
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    switch (error.code) {
      case "P2025":
        return new AppError("NOT_FOUND", "The record was not found");
      case "P2002":
        return new AppError("CONFLICT", "A record with the same unique value already exists");
      case "P2034":
        return new AppError("CONFLICT", "The record was changed by another request; retry");
    }
  }
  const pgCode = postgresErrorCode(error);
  // The same situations from the SQL stores' own statements (lib/db/sql-tx), by SQLSTATE.
  if (pgCode === "23505") return new AppError("CONFLICT", "A record with the same unique value already exists");
  if (pgCode === "40001" || pgCode === "40P01") return new AppError("CONFLICT", "The record was changed by another request; retry");
  // 22021: bytes that are not valid in the encoding (e.g. NUL); 22P02: malformed text for a type.
  if (pgCode === "22021" || pgCode === "22P02") {
    return validationError([{ field: "", message: "The request contains text the database cannot store (a NUL character or invalid Unicode)" }]);
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError("SERVICE_UNAVAILABLE", "The database is not reachable right now; retry shortly", { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
  return new AppError("INTERNAL_ERROR", "An internal error occurred");
}
