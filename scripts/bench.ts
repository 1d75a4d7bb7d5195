/**
 * `npm run bench`: Leadline's PATCH and list throughput against a raw node:http + pg baseline, on a
 * throw-away embedded PostgreSQL seeded with N leads. Prints a table and the targets of issue 5.
 * Not part of `npm test`. See docs/performance.md.
 *
 *   npm run bench                            # 10k leads, quick
 *   npm run bench -- --leads 1000000         # the figures the targets are stated for
 *   npm run bench -- --duration 3 --warmup 1 # while developing
 *   npm run bench -- --case signin-load      # GET p50 idle vs under 10 wrong-password loops
 *   npm run bench -- --case webhooks         # PATCH by id without vs with one webhook endpoint
 */
import "./lib/server-side";
import { parseBenchOptions, USAGE } from "./bench/options";

// The bench builds into its own folder so it never disturbs the build of a running `npm start`.
// Set before lib/env is first imported (below), so the build and `next start` both see it.
process.env.LEADLINE_NEXT_DIST_DIR ||= ".next-bench";

async function main(): Promise<number> {
  // `npm run bench -- csv [--rows N] [--export-leads N]`: the CSV import/export case (scripts/bench/csv.ts).
  if (process.argv[2] === "csv") {
    const { buildApp } = await import("./lib/build");
    buildApp();
    const { runCsvBench } = await import("./bench/csv");
    await runCsvBench(process.argv.slice(3));
    return 0;
  }
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const { buildApp } = await import("./lib/build");
  buildApp();
  // Imported after the build: the bench uses the generated Prisma client's modules.
  if (options.case === "signin-load") {
    const { runSignInLoad } = await import("./bench/signin-load");
    await runSignInLoad(options);
    return 0;
  }
  const { runBench, runWebhookBench } = await import("./bench/run");
  await (options.case === "webhooks" ? runWebhookBench(options) : runBench(options));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
