import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

// GET /api/health - liveness: the process is up and serving. Touches no database, so an outage
// of PostgreSQL does not make an orchestrator restart healthy instances (see /api/ready).
export async function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
