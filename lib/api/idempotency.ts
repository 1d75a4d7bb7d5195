import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { ActorContext } from "@/lib/auth/actor";
import { AppError, validationError } from "@/lib/errors";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "./idempotency-store";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from "./idempotency-constants";
import { jsonError } from "./response";


/** The Idempotency-Key header of a request: null when absent, 400 when blank or too long. */
export function idempotencyKeyFrom(req: Request): string | null {
  const raw = req.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (raw === null) return null;
  const key = raw.trim();
  if (key === "" || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw validationError([
      { field: IDEMPOTENCY_KEY_HEADER, message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
    ]);
  }
  return key;
}

/** What makes two requests "the same": method, path with query, and the JSON body (whitespace aside). */
export function idempotencyRequestHash(method: string, pathWithQuery: string, body: unknown): string {
  return createHash("sha256").update(`${method.toUpperCase()}\n${pathWithQuery}\n${JSON.stringify(body)}`).digest("hex");
}

const CLEANUP_EVERY_MS = 10 * 60 * 1000;
let lastCleanup = 0;

/** Expired records are ignored on read; this deletes them now and then, off the request's path. */
function cleanUpNowAndThen(): void {
  const now = Date.now();
  if (now - lastCleanup < CLEANUP_EVERY_MS) return;
  lastCleanup = now;
  deleteExpiredIdempotencyKeys().catch((error: unknown) => {
    console.error("Deleting expired Idempotency-Key records failed", error);
  });
}

function replay(status: number, body: string, requestId: string | null): Response {
  const headers = new Headers({ "Content-Type": "application/json", [IDEMPOTENT_REPLAYED_HEADER]: "true" });
  if (requestId) headers.set("X-Request-Id", requestId);
  return new Response(body, { status, headers });
}

/**
 * Runs a write at most once per Idempotency-Key (per organization, for 24 hours).
 * - No key: just runs it.
 * - First use: claims the key (one committed INSERT … ON CONFLICT), runs, stores the status and
 *   the exact body of any reply below 500; a 500 gives the key back so that a retry can run.
 * - Same key, same request, finished: the stored reply, byte for byte, with `Idempotent-Replayed: true`.
 * - Same key, same request, still running: 409 CONFLICT. Same key, another request: 422 IDEMPOTENCY_KEY_REUSED.
 * Errors thrown by `run` become the usual error envelope here, so that 4xx replies are stored too.
 */
export async function withIdempotency(
  args: { req: NextRequest; ctx: ActorContext; requestId: string },
  body: unknown,
  run: () => Promise<Response>,
): Promise<Response> {
  const { req, ctx, requestId } = args;
  const key = idempotencyKeyFrom(req);
  if (key === null) return run();

  const organizationId = ctx.organization.id;
  const requestHash = idempotencyRequestHash(req.method, req.nextUrl.pathname + req.nextUrl.search, body);
  const claimToken = randomUUID();
  cleanUpNowAndThen();
  const claim = await claimIdempotencyKey({ organizationId, key, requestHash, claimToken });
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing && existing.requestHash !== requestHash) {
      throw new AppError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used with a different request; use a new key for a new request",
        { idempotencyKey: key },
      );
    }
    if (existing?.status == null || existing.responseBody === null) {
      throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being processed; retry later", {
        idempotencyKey: key,
      });
    }
    return replay(existing.status, existing.responseBody, existing.requestId);
  }

  let response: Response;
  try {
    response = await run();
  } catch (error) {
    response = jsonError(requestId, error);
  }
  if (response.status >= 500) {
    await releaseIdempotencyKey({ organizationId, key, claimToken });
    return response;
  }
  const text = await response.text();
  try {
    await completeIdempotencyKey({ organizationId, key, claimToken, status: response.status, responseBody: text, requestId });
  } catch (error) {
    // The write itself succeeded: answer it. A retry will see the claim as still running (409),
    // never run twice; the claim is taken over once abandoned.
    console.error(`[${requestId}] Storing the Idempotency-Key reply failed`, error);
  }
  return new Response(text, { status: response.status, headers: response.headers });
}
