import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

const PUBLIC_PAGES = ["/docs"];

/**
 * An optimistic check only: pages without a session cookie go to the sign-in page, remembering
 * where the user was headed. Every page, server action and session route still checks the user
 * itself (lib/auth/session.ts), because a valid JWT may belong to a deactivated user.
 */
export async function proxy(request: NextRequest) {
  // The API reference is public: integrators read it before they have an account.
  if (PUBLIC_PAGES.some((prefix) => request.nextUrl.pathname === prefix || request.nextUrl.pathname.startsWith(`${prefix}/`))) {
    return NextResponse.next();
  }
  const token = await getToken({ req: request, secret: env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = "";
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the sign-in page, API routes (they answer 401 in JSON) and static files.
  matcher: ["/((?!sign-in|api/|_next/|favicon.ico|robots.txt).*)"],
};
