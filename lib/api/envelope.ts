import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";

/**
 * The reply envelope as zod schemas, for the OpenAPI document and the contract test. The replies
 * themselves are made by lib/api/response.ts (jsonOk, jsonError).
 */

export const replyMetaSchema = z.object({
  requestId: z.string().meta({ description: "Equal to the X-Request-Id header", examples: ["req_8fK2mQ9xLp3vN7tR4wYz"] }),
  timestamp: z.iso.datetime().meta({ examples: ["2026-11-26T14:40:31.855Z"] }),
});

/** `{ success: true, data, meta }`, with any extra meta fields (e.g. pagination). */
export function successEnvelope<D extends z.ZodType, M extends z.ZodRawShape>(data: D, extraMeta?: M) {
  return z.object({
    success: z.literal(true),
    data,
    meta: extraMeta ? replyMetaSchema.extend(extraMeta) : replyMetaSchema,
  });
}

export const fieldIssueSchema = z.object({
  field: z.string().meta({ description: "Dotted path of the field; empty for the body as a whole", examples: ["status"] }),
  message: z.string().meta({ examples: ["must be one of: qualified, won, lost"] }),
  allowed: z.array(z.string()).optional().meta({ description: "The accepted values, where the field takes one of a fixed set" }),
});

/** The codes of ERROR_STATUS that answer with `status`. */
export function errorCodesFor(status: number): ErrorCode[] {
  return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

/** `{ success: false, error: { code, message, details }, meta }` for the given codes. */
export function errorEnvelope(codes: readonly ErrorCode[]) {
  const details = codes.every((code) => code === "VALIDATION_ERROR")
    ? z.object({ issues: z.array(fieldIssueSchema) }).meta({ description: "Every problem found, one per field" })
    : z
        .record(z.string(), z.unknown())
        .nullable()
        .meta({ description: "Facts about the error (e.g. matchCount, allowed, maxBytes), or null" });
  return z.object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string().meta({ description: "For people; never a stack trace or SQL" }),
      details,
    }),
    meta: replyMetaSchema,
  });
}
