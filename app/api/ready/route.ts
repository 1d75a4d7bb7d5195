import { NextResponse } from "next/server";
import { checkReadiness } from "@/lib/db/readiness";
import { isShuttingDown } from "@/lib/server/shutdown";

export const dynamic = "force-dynamic";

// GET /api/ready - readiness for load balancers and orchestrators: the database answers and every
// migration of this build is applied. 503 (with Retry-After) until then; /api/health is liveness.
export async function GET() {
  if (isShuttingDown()) {
    return NextResponse.json({ status: "shutting_down" }, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } });
  }
  const readiness = await checkReadiness();
  return NextResponse.json(
    { status: readiness.ready ? "ready" : "unavailable", database: readiness.database, pendingMigrations: readiness.pendingMigrations },
    { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store", ...(readiness.ready ? {} : { "Retry-After": "5" }) } },
  );
}
