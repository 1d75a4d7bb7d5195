import { parseArgs } from "node:util";

export interface BenchOptions {
  leads: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Seconds of unmeasured load per case on each server before the first measured case (V8 optimises Leadline's request paths over ~30 s of load). */
  serverWarmupSeconds: number;
  connections: number;
  /** Size at which the PATCH by e-mail reference p50 is measured when leads is larger. */
  referenceLeads: number;
  /** A single case instead of the table: "signin-load" (GET /api/leads p50 idle vs under wrong-password loops), "webhooks" (PATCH with and without an endpoint). */
  case?: "signin-load" | "webhooks";
}

export const USAGE = `Usage: npm run bench -- [--leads 10000] [--duration 15] [--warmup 3] [--server-warmup 10] [--connections 32]
  --leads        leads to seed in the bench organization (default 10000; the targets are stated at 1000000)
  --duration     seconds of load per case and server, after the warm-up (default 15)
  --warmup       seconds of warm-up load before each measured run (default 3)
  --server-warmup  seconds of unmeasured load per case on each server before the first case (default 10; 0 for quick runs)
  --connections  concurrent connections of autocannon (default 32)
  --case signin-load  GET /api/leads p50 idle, then with 10 concurrent wrong-password sign-in loops
  --case webhooks     PATCH by id without, then with one webhook endpoint subscribed to everything`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${raw}"\n${USAGE}`);
  return value;
}

export function parseBenchOptions(args: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "server-warmup": { type: "string" },
      connections: { type: "string" },
      case: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const options: BenchOptions = {
    leads: positiveInt("leads", values.leads, 10_000),
    durationSeconds: positiveInt("duration", values.duration, 15),
    warmupSeconds: positiveInt("warmup", values.warmup, 3),
    serverWarmupSeconds: positiveInt("server-warmup", values["server-warmup"], 10),
    connections: positiveInt("connections", values.connections, 32),
    referenceLeads: 10_000,
  };
  if (values.case !== undefined) {
    if (values.case !== "signin-load" && values.case !== "webhooks") throw new Error(`--case must be signin-load or webhooks, got "${values.case}"\n${USAGE}`);
    options.case = values.case;
  }
  if (options.leads < 100) throw new Error(`--leads must be at least 100\n${USAGE}`);
  if (options.durationSeconds < 1 || options.connections < 1) throw new Error(`--duration and --connections must be at least 1\n${USAGE}`);
  return options;
}
