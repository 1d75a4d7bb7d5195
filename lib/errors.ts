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
} as const;

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
  return new AppError("INTERNAL_ERROR", "An internal error occurred");
}
