import type { NextRequest } from "next/server";
import { jsonError } from "@/lib/api/response";
import { requestIdFor, withSecurityHeaders } from "@/lib/api/with-api";
import { AppError } from "@/lib/errors";

// Any other /api path - the JSON error envelope rather than an HTML page
function notFound(req: NextRequest) {
  return withSecurityHeaders(req, jsonError(requestIdFor(req), new AppError("NOT_FOUND", `No API route at ${req.nextUrl.pathname}`)));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
