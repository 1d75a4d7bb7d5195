import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { jsonError } from "@/lib/api/response";
import { requestIdFor } from "@/lib/api/with-api";
import { authOptions } from "@/lib/auth/auth-options";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/client-ip";
import { recordSignInFailure, recordSignInSuccess, signInRetryAfter } from "@/lib/security/sign-in-limits";

// GET, POST /api/auth/* - next-auth: sign-in, sign-out, session and CSRF endpoints
const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

/** The message of a limited sign-in: the same whether or not the account exists. */
const SIGN_IN_LIMITED_MESSAGE = "Too many sign-in attempts. Wait a few minutes, then try again.";

/**
 * The credentials sign-in (POST /api/auth/callback/credentials), with the sign-in limits of
 * lib/security/sign-in-limits.ts around next-auth: a limited attempt gets 429 before any password
 * is hashed (its JSON `url` carries `?error=RateLimited` for next-auth's client), and every
 * attempt that does not end with a session cookie counts as a failure.
 */
async function POST(req: NextRequest, context: Context): Promise<Response> {
  if (!req.nextUrl.pathname.endsWith("/callback/credentials")) return handler(req, context);
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const emailField = form?.get("email");
  const email = typeof emailField === "string" ? emailField.trim().toLowerCase().slice(0, 320) : "";
  const ip = clientIp(req.headers);

  const retryAfter = await signInRetryAfter(email, ip);
  if (retryAfter > 0) {
    const response = jsonError(requestIdFor(req), new AppError("RATE_LIMITED", SIGN_IN_LIMITED_MESSAGE, { retryAfterSeconds: retryAfter }));
    const body = (await response.json()) as Record<string, unknown>;
    const signInUrl = new URL("/sign-in", req.nextUrl.origin);
    signInUrl.searchParams.set("error", "RateLimited");
    return Response.json(
      { ...body, url: signInUrl.toString() },
      { status: 429, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store", "X-Request-Id": response.headers.get("X-Request-Id") ?? "" } },
    );
  }

  const response: Response = await handler(req, context);
  const signedIn = response.headers.getSetCookie().some((cookie) => /^(__Secure-)?next-auth\.session-token=[^;]+/.test(cookie));
  if (signedIn) await recordSignInSuccess(email);
  else await recordSignInFailure(email, ip);
  return response;
}

export { handler as GET, POST };
