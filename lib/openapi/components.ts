import { z } from "zod";
import { errorCodesFor, errorEnvelope, successEnvelope } from "@/lib/api/envelope";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "@/lib/api/idempotency-constants";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { componentRef, type JsonSchema } from "./json-schema";

/** The parts every operation of the public API shares: auth, headers, error replies. */

export const SECURITY_SCHEMES = {
  ApiKey: {
    type: "apiKey",
    in: "header",
    name: "X-API-KEY",
    description: "An API key of your organization (Settings → API keys). Never in the URL.",
  },
  Bearer: {
    type: "http",
    scheme: "bearer",
    description: "The same API key as `Authorization: Bearer <key>`.",
  },
} as const;

/** Either scheme authenticates a call. */
export const API_KEY_SECURITY = [{ ApiKey: [] }, { Bearer: [] }];

export const HEADERS = {
  "X-Request-Id": {
    description:
      "The request's id, equal to `meta.requestId`; yours when you sent a valid one. A replayed reply keeps the id of the original request.",
    schema: { type: "string" },
    example: "req_8fK2mQ9xLp3vN7tR4wYz",
  },
  "RateLimit-Limit": {
    description: "Requests allowed in the current window for this API key.",
    schema: { type: "integer", minimum: 0 },
    example: 600,
  },
  "RateLimit-Remaining": {
    description: "Requests left in the current window.",
    schema: { type: "integer", minimum: 0 },
    example: 598,
  },
  "RateLimit-Reset": {
    description: "Seconds until the window resets.",
    schema: { type: "integer", minimum: 0 },
    example: 42,
  },
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 0 },
    example: 42,
  },
  "Idempotent-Replayed": {
    description: "`true` when this reply is the stored reply of an earlier request with the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  },
  Allow: { description: "The methods the route takes.", schema: { type: "string" }, example: "GET, POST, PATCH" },
} as const;

export const PARAMETERS = {
  XRequestId: {
    name: "X-Request-Id",
    in: "header",
    required: false,
    description: "Your own id for this call (8–128 characters of A-Z a-z 0-9 . _ : -), kept and recorded in the lead's history.",
    schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{8,128}$" },
    example: "zap-7f3a9c2e-retry-1",
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "Makes a retry safe. The first request with a key runs, and its reply (any status below 500) is kept for 24 hours " +
      "for your organization. A retry with the same key and the same method, path and body gets that reply again, " +
      "byte for byte, with `Idempotent-Replayed: true`, and writes nothing. The same key with another body is " +
      "`422 IDEMPOTENCY_KEY_REUSED`; a retry while the first is still running is `409 CONFLICT`. A `500` is not kept, " +
      "so a retry runs again. Use a new key (e.g. a UUID) for every new request.",
    schema: { type: "string", minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    example: "6f1c2a0e-8d4b-4f57-9a51-2d0f9c3e7b11",
  },
} as const;

const RATE_LIMIT_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] as const;

function headerRefs(names: readonly (keyof typeof HEADERS)[]) {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** Realistic examples of each error; a code without one gets a generic example. */
const ERROR_EXAMPLES: Partial<Record<ErrorCode, { message: string; details: unknown }>> = {
  VALIDATION_ERROR: {
    message: "status: must be one of: qualified, won, lost",
    details: { issues: [{ field: "status", message: "must be one of: qualified, won, lost", allowed: ["qualified", "won", "lost"] }] },
  },
  UNAUTHORIZED: { message: "Missing API key: send it in the X-API-KEY header", details: null },
  FORBIDDEN: { message: "Only an admin of this organization can do this", details: null },
  NOT_FOUND: { message: "Lead not found", details: null },
  METHOD_NOT_ALLOWED: { message: "PUT is not supported here; use GET or POST or PATCH. Update leads with PATCH.", details: { allowed: ["GET", "POST", "PATCH"] } },
  CONFLICT: {
    message: "2 leads match this e-mail, and this organization does not allow bulk updates",
    details: { matchCount: 2 },
  },
  PAYLOAD_TOO_LARGE: { message: "Request body must be at most 1048576 bytes", details: { maxBytes: 1048576 } },
  IDEMPOTENCY_KEY_REUSED: {
    message: "This Idempotency-Key was already used with a different request; use a new key for a new request",
    details: { idempotencyKey: "6f1c2a0e-8d4b-4f57-9a51-2d0f9c3e7b11" },
  },
  RATE_LIMITED: { message: "Too many requests for this API key; retry after 42 seconds", details: { retryAfterSeconds: 42 } },
  INTERNAL_ERROR: { message: "An internal error occurred", details: null },
};

const EXAMPLE_META = { requestId: "req_8fK2mQ9xLp3vN7tR4wYz", timestamp: "2026-11-26T14:40:31.855Z" };

/** Every status of ERROR_STATUS, each with the codes that answer with it. */
export function errorStatuses(): number[] {
  return [...new Set(Object.values(ERROR_STATUS))].sort((a, b) => a - b);
}

/** Reply schemas of the error envelope: `Error<status>` for each status (its codes only), and `Error` for any. */
export function errorReplySchemas(): Record<string, z.ZodType> {
  const schemas: Record<string, z.ZodType> = { Error: errorEnvelope(Object.keys(ERROR_STATUS) as ErrorCode[]) };
  for (const status of errorStatuses()) schemas[`Error${status}`] = errorEnvelope(errorCodesFor(status));
  return schemas;
}

const STATUS_TEXT: Record<number, string> = {
  400: "The request is invalid: bad JSON, a missing identifier, a bad field or header (`details.issues` lists each).",
  401: "Missing, unknown or revoked API key.",
  403: "The key may not do this.",
  404: "Nothing matches in your organization.",
  405: "The route does not take this method (`details.allowed`, and an `Allow` header).",
  409: "A conflict: see the operation's description.",
  413: "The body is over 1 MB.",
  422: "The Idempotency-Key was already used with another request.",
  429: "Too many requests for this API key: wait `Retry-After` seconds.",
  500: "A fault on our side; the message never shows a stack trace, SQL or driver text. Safe to retry.",
};

/** An error reply of `status`, with examples of each of its codes; `description` replaces the default text. */
export function errorResponse(status: number, description?: string) {
  const codes = errorCodesFor(status);
  const headers = {
    ...headerRefs(["X-Request-Id"]),
    ...(status === 429 ? headerRefs(["Retry-After", ...RATE_LIMIT_HEADERS]) : headerRefs(RATE_LIMIT_HEADERS)),
    ...(status === 405 ? headerRefs(["Allow"]) : {}),
  };
  const examples = Object.fromEntries(
    codes.map((code) => {
      const example = ERROR_EXAMPLES[code] ?? { message: `An error of code ${code}`, details: null };
      return [code, { value: { success: false, error: { code, ...example }, meta: EXAMPLE_META } }];
    }),
  );
  return {
    description: description ?? STATUS_TEXT[status] ?? codes.join(", "),
    headers,
    content: { "application/json": { schema: componentRef(`Error${status}`), examples } },
  };
}

/** A success reply: the envelope schema `schemaName`, the example of its `data` schema, rate-limit headers. */
export function successResponse(
  description: string,
  schemaName: string,
  data: z.ZodType,
  options: { extraMeta?: Record<string, unknown>; idempotent?: boolean } = {},
) {
  const dataExample = (z.globalRegistry.get(data)?.examples as unknown[] | undefined)?.[0];
  return {
    description,
    headers: headerRefs(["X-Request-Id", ...RATE_LIMIT_HEADERS, ...(options.idempotent ? (["Idempotent-Replayed"] as const) : [])]),
    content: {
      "application/json": {
        schema: componentRef(schemaName),
        ...(dataExample !== undefined
          ? { example: { success: true, data: dataExample, meta: { ...EXAMPLE_META, ...options.extraMeta } } }
          : {}),
      },
    },
  };
}

/**
 * A success reply that is one of several envelopes (e.g. an update or its dry run): `oneOf` their
 * schemas, with one named example of each.
 */
export function successResponseOneOf(
  description: string,
  variants: { example: string; schemaName: string; data: z.ZodType }[],
  options: { idempotent?: boolean } = {},
) {
  const replies = variants.map((variant) => ({ variant, reply: successResponse(description, variant.schemaName, variant.data, options) }));
  const examples = Object.fromEntries(
    replies.flatMap(({ variant, reply }) => {
      const example = reply.content["application/json"].example;
      return example === undefined ? [] : [[variant.example, { value: example }]];
    }),
  );
  return {
    description,
    headers: replies[0]!.reply.headers,
    content: { "application/json": { schema: { oneOf: variants.map((variant) => componentRef(variant.schemaName)) }, examples } },
  };
}

/** A reply that is a CSV file (not the JSON envelope): its columns, an example, rate-limit headers and the file name. */
export function csvResponse(description: string, example: string) {
  return {
    description,
    headers: {
      ...headerRefs(["X-Request-Id", ...RATE_LIMIT_HEADERS]),
      "Content-Disposition": {
        description: "`attachment` with the file's name",
        schema: { type: "string" },
        example: 'attachment; filename="leads-2026-11-26.csv"',
      },
    },
    content: { "text/csv": { schema: { type: "string" }, example } },
  };
}

/** An operation of the public API: API-key auth, X-Request-Id, the given replies plus 401, 429 and 500. */
export function apiKeyOperation(operation: {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: unknown[];
  /** A JSON body (a named request schema), or a body of another media type (e.g. a CSV file). */
  requestBody?: { description?: string; schemaName: string; example?: unknown } | { description?: string; contentType: string; schema: JsonSchema };
  idempotent?: boolean;
  responses: Record<string, unknown>;
  errors: Partial<Record<number, string | undefined>>;
}) {
  const parameters = [
    ...(operation.parameters ?? []),
    { $ref: "#/components/parameters/XRequestId" },
    ...(operation.idempotent ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
  ];
  const errors: Partial<Record<number, string | undefined>> = { 401: undefined, 429: undefined, 500: undefined, ...operation.errors };
  const responses: Record<string, unknown> = { ...operation.responses };
  for (const status of Object.keys(errors).map(Number).sort((a, b) => a - b)) {
    responses[String(status)] = errorResponse(status, errors[status]);
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: operation.tags,
    security: API_KEY_SECURITY,
    parameters,
    ...(operation.requestBody
      ? {
          requestBody: {
            required: true,
            description: operation.requestBody.description,
            content:
              "schemaName" in operation.requestBody
                ? { "application/json": { schema: componentRef(operation.requestBody.schemaName) } }
                : { [operation.requestBody.contentType]: { schema: operation.requestBody.schema } },
          },
        }
      : {}),
    responses,
  };
}

export { successEnvelope };
export type { JsonSchema };
