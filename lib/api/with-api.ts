import type { NextRequest } from "next/server";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import type { ActorContext } from "@/lib/auth/actor";
import { actorContextForUser, getSessionUser } from "@/lib/auth/session";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { clientIp } from "@/lib/security/client-ip";
import { assertSameOriginJson } from "@/lib/security/csrf";
import { apiSecurityHeaders } from "@/lib/security/headers";
import {
  anonymousIpLimit,
  apiKeyLimit,
  applyRateLimitHeaders,
  consume,
  RateLimitedError,
  userLimit,
  type LimiterSpec,
  type RateLimitState,
} from "@/lib/security/rate-limit";
import { findTextIssue } from "@/lib/security/text";
import { logger } from "@/lib/log";
import { jsonError } from "./response";

export const MAX_BODY_BYTES = 1024 * 1024;

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Honours a sane X-Request-Id from the client (for tracing across systems), else makes one. */
export function requestIdFor(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && CLIENT_REQUEST_ID.test(given) ? given : newId("req", 20);
}

/** The key from `X-API-KEY`, or from `Authorization: Bearer`. Never from the URL. */
function apiKeyFrom(req: Request): string | null {
  const header = req.headers.get("x-api-key")?.trim();
  if (header) return header;
  const authorization = req.headers.get("authorization")?.trim();
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i);
  return bearer?.[1] ?? null;
}

/** Reads a JSON object body, refusing more than 1 MB even when no Content-Length is sent. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `Request body must be at most ${MAX_BODY_BYTES} bytes`, { maxBytes: MAX_BODY_BYTES });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The client went away mid-body: its fault, not ours, and nobody is left to read the reply.
        throw validationError([{ field: "", message: "The request body could not be read completely" }]);
      }
      const { done, value } = chunk;
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw new AppError("PAYLOAD_TOO_LARGE", `Request body must be at most ${MAX_BODY_BYTES} bytes`, { maxBytes: MAX_BODY_BYTES });
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationError([{ field: "", message: text.trim() === "" ? "Request body is empty; send a JSON object" : "Request body is not valid JSON" }]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError([{ field: "", message: "Request body must be a JSON object" }]);
  }
  assertCleanText(parsed);
  return parsed as Record<string, unknown>;
}

/** The text rule (lib/security/text.ts) at the edge: a NUL or unpaired surrogate is a 400 naming the field. */
function assertCleanText(input: unknown): void {
  const issue = findTextIssue(input);
  if (issue) throw validationError([issue]);
}

export function searchParamsObject(req: NextRequest): Record<string, string> {
  const query = Object.fromEntries(req.nextUrl.searchParams.entries());
  assertCleanText(query);
  return query;
}

/**
 * The API's security headers (lib/security/headers.ts) on a reply. Most API requests skip
 * proxy.ts (its matcher says when they do not), so the wrappers below, their 405s and the
 * catch-all 404 set them on every reply they make. The few routes without a wrapper (next-auth's,
 * health, readiness, the OpenAPI document) are on the proxy's list instead;
 * tests/unit/api-route-headers.test.ts checks that every route is one or the other.
 */
export function withSecurityHeaders<T extends Response>(req: NextRequest, response: T): T {
  for (const [name, value] of Object.entries(apiSecurityHeaders(req.nextUrl.pathname))) response.headers.set(name, value);
  return response;
}

type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * 405 handlers for the methods a route does not take, so every method gets the envelope and the
 * security headers rather than Next.js's bare 405: `export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);`.
 */
export function otherMethods(allowed: readonly HttpMethod[], hint?: string): Record<HttpMethod, ReturnType<typeof methodNotAllowed>> {
  const handler = methodNotAllowed([...allowed], hint);
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

/** A handler for the methods a route does not support: 405 in the envelope, with an Allow header. */
export function methodNotAllowed(allowed: string[], hint?: string) {
  return async (req: NextRequest): Promise<Response> => {
    const requestId = requestIdFor(req);
    const message = `${req.method} is not supported here; use ${allowed.join(" or ")}${hint ? `. ${hint}` : ""}`;
    const response = jsonError(requestId, new AppError("METHOD_NOT_ALLOWED", message, { allowed }));
    response.headers.set("Allow", allowed.join(", "));
    return withSecurityHeaders(req, response);
  };
}

export interface ApiHandlerArgs<P> {
  req: NextRequest;
  ctx: ActorContext;
  params: P;
  requestId: string;
}

type RouteContext<P> = { params: Promise<P> };

/** Who is calling, and which counter their request is counted on. */
interface Authenticated {
  ctx: ActorContext;
  limit: { spec: LimiterSpec; key: string; what: string };
}

type Authenticate = (req: NextRequest, requestId: string) => Promise<Authenticated>;

/**
 * The one shape of API route handlers: request id, CSRF rule (session routes), authentication
 * scoped to one organization, the rate limit of the caller (RateLimit-* headers on every reply,
 * 429 over it), the text rule on path ids, and every thrown error mapped to the one JSON error
 * envelope (never a stack trace).
 */
interface RouteOptions {
  csrf: boolean;
  /** Body types a session route takes besides JSON (the CSRF rule), e.g. the import's text/csv. */
  acceptBody?: readonly string[];
}

function withAuth<P>(authenticate: Authenticate, handler: (args: ApiHandlerArgs<P>) => Promise<Response>, options: RouteOptions) {
  authenticate = rememberActor(authenticate);
  return withRequestLog(async (req: NextRequest, route: RouteContext<P>): Promise<Response> => {
    const requestId = requestIdFor(req);
    let rate: RateLimitState | undefined;
    let response: Response;
    try {
      if (options.csrf) assertSameOriginJson(req, options.acceptBody);
      let auth: Authenticated;
      try {
        auth = await authenticate(req, requestId);
      } catch (error) {
        // Guessing keys or sessions is counted per client IP.
        if (error instanceof AppError && error.code === "UNAUTHORIZED") rate = await consume(anonymousIpLimit(), clientIp(req.headers), "client");
        throw error;
      }
      rate = await consume(auth.limit.spec, auth.limit.key, auth.limit.what);
      const params = route?.params ? await route.params : ({} as P);
      assertCleanText(params);
      response = await handler({ req, ctx: auth.ctx, params, requestId });
      // A replayed reply (Idempotency-Key) keeps the id of the request that produced it.
      if (!response.headers.has("X-Request-Id")) response.headers.set("X-Request-Id", requestId);
    } catch (error) {
      if (error instanceof RateLimitedError) rate = error.state;
      response = jsonError(requestId, error);
    }
    applyRateLimitHeaders(response.headers, rate, response.status === 429);
    return withSecurityHeaders(req, response);
  });
}

/** Who made each request in flight, for its log line; gone with the request. */
const requestActors = new WeakMap<Request, ActorContext>();

function rememberActor(authenticate: Authenticate): Authenticate {
  return async (req, requestId) => {
    const auth = await authenticate(req, requestId);
    requestActors.set(req, auth.ctx);
    return auth;
  };
}

/**
 * One JSON line per API request: request id, route, status, duration, and who (a user id or an
 * API key id, never the key).
 */
function withRequestLog<R>(route: (req: NextRequest, context: R) => Promise<Response>) {
  return async (req: NextRequest, context: R): Promise<Response> => {
    const started = performance.now();
    const response = await route(req, context);
    const ctx = requestActors.get(req);
    const actor = ctx?.actor.type === "api_key" ? { apiKeyId: ctx.actor.apiKeyId } : ctx?.actor.type === "user" ? { userId: ctx.actor.userId } : {};
    logger.info(
      {
        requestId: response.headers.get("X-Request-Id"),
        method: req.method,
        route: req.nextUrl.pathname,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        organizationId: ctx?.organization.id,
        ...actor,
      },
      "request",
    );
    return response;
  };
}

async function authenticateWithApiKey(req: NextRequest, requestId: string): Promise<Authenticated> {
  const key = apiKeyFrom(req);
  if (!key) throw new AppError("UNAUTHORIZED", "Missing API key: send it in the X-API-KEY header");
  const apiKey = await authenticateApiKey(key);
  if (!apiKey) throw new AppError("UNAUTHORIZED", "Invalid or revoked API key");
  return {
    ctx: {
      organization: apiKey.organization,
      actor: { type: "api_key", apiKeyId: apiKey.id, name: apiKey.name },
      source: "api",
      requestId,
    },
    limit: { spec: apiKeyLimit(apiKey.rateLimitPerMinute), key: apiKey.id, what: "API key" },
  };
}

async function authenticateWithSession(_req: NextRequest, requestId: string): Promise<Authenticated> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Not signed in, or the session has ended");
  return { ctx: actorContextForUser(user, requestId), limit: { spec: userLimit(), key: user.id, what: "user" } };
}

/** Routes of the public API: authenticated by an API key (X-API-KEY or Bearer). */
export function withApiKey<P = Record<string, never>>(handler: (args: ApiHandlerArgs<P>) => Promise<Response>) {
  return withAuth(authenticateWithApiKey, handler, { csrf: false });
}

async function authenticateAdmin(_req: NextRequest, requestId: string): Promise<Authenticated> {
  // The session user is re-read from the database: a demoted or deactivated admin is refused at once.
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Not signed in, or the session has ended");
  if (user.role !== "admin") throw new AppError("FORBIDDEN", "Only an admin of this organization can do this");
  return { ctx: actorContextForUser(user, requestId), limit: { spec: userLimit(), key: user.id, what: "user" } };
}

/** Admin routes (settings, API keys, users): a signed-in, active admin of the organization, checked on every call. */
export function withAdmin<P = Record<string, never>>(handler: (args: ApiHandlerArgs<P>) => Promise<Response>) {
  return withAuth(authenticateAdmin, handler, { csrf: true });
}

/** Routes the app's own pages fetch (TanStack Query): authenticated by the signed-in user's session. */
export function withSession<P = Record<string, never>>(
  handler: (args: ApiHandlerArgs<P>) => Promise<Response>,
  options: { acceptBody?: readonly string[] } = {},
) {
  return withAuth(authenticateWithSession, handler, { csrf: true, ...options });
}
