import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/document";

// GET /api/openapi.json - the OpenAPI 3.1 document of the public API (no key needed; it depends only on the code)
export function GET() {
  return NextResponse.json(openApiDocument(), {
    headers: { "Cache-Control": "public, max-age=300, stale-while-revalidate=3600" },
  });
}
