import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseUrl, disconnectPrisma, prisma } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/db/embedded-postgres";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "@/scripts/lib/test-environment";
import { createTestLead, createTestOrganization, type TestOrganization } from "../helpers/fixtures";

/**
 * Faults on an app and a PostgreSQL of this file's own (the shared test server must not go down):
 * readiness, a lost and recovered database, and a graceful shutdown with a request in flight.
 */
let database: TempDatabase;
let restarted: EmbeddedPostgresHandle | undefined;
let app: AppServer;
let org: TestOrganization;

beforeAll(async () => {
  database = await startTempDatabase("leadline-faults", "leadline_faults");
  setDatabaseUrl(database.url);
  org = await createTestOrganization();
  app = await startAppServer(database.url, { captureOutput: true, env: { LEADLINE_SHUTDOWN_TIMEOUT_MS: "20000", LOG_LEVEL: "info" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await disconnectPrisma();
  await restarted?.stop();
  await database?.dispose();
}, 60_000);

interface Reply {
  status: number;
  headers: Headers;
  body: { success?: boolean; error?: { code: string; details: unknown }; meta?: { requestId: string } } & Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { "X-API-KEY": org.apiKey, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Reply["body"] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("health and readiness", () => {
  it("/api/health answers without the database; /api/ready checks the migrations of the build", async () => {
    expect(await call("GET", "/api/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await call("GET", "/api/ready")).toMatchObject({ status: 200, body: { status: "ready", database: "ok", pendingMigrations: [] } });

    // A migration of this build missing from the database: not ready, and it says which.
    const [row] = await prisma.$queryRaw<{ id: string; migration_name: string }[]>`
      SELECT id, migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await prisma.$executeRaw`UPDATE "_prisma_migrations" SET finished_at = NULL, rolled_back_at = now() WHERE id = ${row!.id}`;
    try {
      const notReady = await call("GET", "/api/ready");
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ status: "unavailable", database: "ok", pendingMigrations: [row!.migration_name] });
      expect(notReady.headers.get("retry-after")).toBe("5");
    } finally {
      await prisma.$executeRaw`UPDATE "_prisma_migrations" SET finished_at = now(), rolled_back_at = NULL WHERE id = ${row!.id}`;
    }
    expect((await call("GET", "/api/ready")).status).toBe(200);
  });
});

describe("a lost database", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After while PostgreSQL is down, and recovers without a restart", async () => {
    const lead = await createTestLead(org);

    // Load from four clients for the whole outage; every answer is kept.
    const statuses: Reply[] = [];
    let running = true;
    let n = 0;
    const loop = async () => {
      while (running) {
        const reply = await call("PATCH", "/api/leads", { id: lead.id, note: `load ${n++}` }).catch(() => undefined);
        if (reply) statuses.push(reply);
        await sleep(20); // a steady load, not a busy loop on a shared machine
      }
    };
    const loops = [loop(), loop(), loop(), loop()];
    await until("some successful requests", async () => (statuses.filter((r) => r.status === 200).length >= 5 ? true : undefined));

    const port = new URL(database.url).port;
    await database.server.stop();
    const down = await until("a 503 while the database is down", async () => statuses.find((r) => r.status === 503));
    expect(down.body).toMatchObject({ success: false, error: { code: "SERVICE_UNAVAILABLE", details: { retryAfterSeconds: 5 } } });
    expect(down.headers.get("retry-after")).toBe("5");
    expect(down.headers.get("x-request-id")).toBe(down.body.meta?.requestId);
    expect((await call("GET", "/api/health")).status).toBe(200);
    expect(await call("GET", "/api/ready")).toMatchObject({ status: 503, body: { database: "unreachable" } });

    restarted = await startEmbeddedPostgres({ dataDir: database.dataDir, port: Number(port), database: "leadline_faults" });
    const countAtRestart = statuses.length;
    await until("a 200 after PostgreSQL came back", async () => (statuses.slice(countAtRestart).some((r) => r.status === 200) ? true : undefined));
    running = false;
    await Promise.all(loops);

    const other = statuses.filter((r) => r.status !== 200 && r.status !== 503);
    const logged = app.output().split("\n").filter((line) => line.includes('"level":50'));
    expect(other.map((r) => [r.status, r.body.error?.code]), logged.join("\n")).toEqual([]);
    expect((await call("GET", "/api/ready")).status).toBe(200);
  }, 90_000);
});

describe("graceful shutdown on SIGTERM", () => {
  it("finishes the request in flight, refuses new connections, then exits", async () => {
    const lead = await createTestLead(org);
    // Hold the lead's row lock so that a PATCH of it stays in flight as long as the test wants.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "Lead" WHERE id = $1 FOR UPDATE`, [lead.id]);

    const inFlight = call("PATCH", "/api/leads", { id: lead.id, status: "won", note: "finished during shutdown" });
    await until("the PATCH to wait on the row lock", async () => {
      const { rows } = await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
      return (rows[0] as { n: number }).n > 0 ? true : undefined;
    });

    const exited = new Promise<number | null>((resolve) => app.process.once("exit", (code) => resolve(code)));
    app.process.kill("SIGTERM");

    // New connections are refused while the request is still in flight. A connection the kernel
    // accepted just before the server stopped listening is reset (ECONNRESET) instead: that one
    // is the transition, so the probe tries again until the port refuses outright.
    const refused = await until("new connections to be refused", async () => {
      const error = await new Promise<string | null>((resolve) => {
        const socket = net.connect(app.port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(null);
        });
        socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNRESET" ? null : (e.code ?? "error")));
      });
      return error ?? undefined;
    }, 10_000);
    expect(refused).toBe("ECONNREFUSED");
    expect(app.process.exitCode).toBeNull();

    await holder.query("COMMIT");
    await holder.end();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(await exited).toBe(143);
    const stored = await prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(stored.status).toBe("won");
    expect(await prisma.leadNote.count({ where: { leadId: lead.id, body: "finished during shutdown" } })).toBe(1);

    // One JSON log line per request, with the key's id and never the key; the shutdown completed.
    const lines = app
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const logged = lines.find((line) => line.msg === "request" && line.requestId === reply.body.meta?.requestId);
    expect(logged).toMatchObject({ level: 30, method: "PATCH", route: "/api/leads", status: 200, apiKeyId: org.apiKeyId, organizationId: org.organizationId });
    expect(typeof logged?.durationMs).toBe("number");
    expect(app.output()).not.toContain(org.apiKey);
    expect(lines.some((line) => line.msg === "Shutdown complete")).toBe(true);
    expect(lines.some((line) => line.msg === "Shutdown timeout reached: exiting with work still in flight")).toBe(false);
  }, 60_000);
});
