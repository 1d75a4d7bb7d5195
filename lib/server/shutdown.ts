import { disconnectPrisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { stopBoss } from "@/lib/jobs/boss";
import { logger } from "@/lib/log";
import { stopLocalDispatch } from "@/lib/webhooks/dispatch";

/**
 * Graceful shutdown of a `next start` (or standalone server.js) process on SIGTERM.
 *
 * Next.js itself handles SIGTERM (next/dist/server/lib/start-server.js): it closes the HTTP
 * server, so no new connection is accepted, waits for the requests in flight, then calls
 * process.exit(143). It has no time limit and knows nothing of our job worker or pools. This adds:
 * - the job worker stops fetching at once and its running jobs finish (pg-boss graceful stop), as
 *   does the batch of webhook deliveries being sent (lib/webhooks/dispatch.ts);
 * - Next's final process.exit is held back until the worker is drained and the database pools
 *   are closed, so no job or connection is cut mid-way;
 * - after LEADLINE_SHUTDOWN_TIMEOUT_MS the process exits anyway, whatever is still running.
 * Requires Next's handler: do not set NEXT_MANUAL_SIG_HANDLE.
 */
const globalForShutdown = globalThis as unknown as { leadlineShutdown?: { installed: boolean; shuttingDown: boolean } };

function state() {
  globalForShutdown.leadlineShutdown ??= { installed: false, shuttingDown: false };
  return globalForShutdown.leadlineShutdown;
}

/** True once SIGTERM was received: /api/ready answers 503 so load balancers stop sending traffic. */
export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

export function installGracefulShutdown(): void {
  const current = state();
  if (current.installed) return;
  current.installed = true;

  const timeoutMs = env.LEADLINE_SHUTDOWN_TIMEOUT_MS;
  const exit = process.exit.bind(process);
  let closing: Promise<void> | undefined;
  let draining: Promise<void> | undefined;

  const closeResources = (): Promise<void> =>
    (closing ??= (async () => {
      await draining?.catch((error: unknown) => logger.error({ err: error }, "Job worker did not stop cleanly"));
      await disconnectPrisma().catch((error: unknown) => logger.error({ err: error }, "Could not close the database pool"));
      logger.info("Shutdown complete");
    })());

  process.once("SIGTERM", () => {
    current.shuttingDown = true;
    logger.info({ timeoutMs }, "SIGTERM: refusing new connections, finishing requests in flight");
    // The webhook groups waiting in this process become jobs before pg-boss stops.
    draining = stopLocalDispatch().then(() => stopBoss(timeoutMs));
    const deadline = setTimeout(() => {
      logger.warn({ timeoutMs }, "Shutdown timeout reached: exiting with work still in flight");
      exit(143);
    }, timeoutMs);
    // Next.js calls process.exit once its HTTP server has closed (every request answered).
    process.exit = ((code?: number | string | null) => {
      void closeResources().finally(() => {
        clearTimeout(deadline);
        exit(code ?? 0);
      });
    }) as typeof process.exit;
  });
}
