import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/** Build steps shared by the start, test and bench scripts. */

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function newestMtime(target: string, skip: (p: string) => boolean): number {
  if (!fs.existsSync(target) || skip(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry), skip));
  return newest;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, toStderr = false): void {
  const result = spawnSync(command, args, { stdio: toStderr ? ["inherit", 2, 2] : "inherit", env });
  if (result.status !== 0) {
    throw new Error(`\`${path.basename(command)} ${args.join(" ")}\` failed${result.status === null ? "" : ` (exit ${result.status})`}`);
  }
}

/**
 * `prisma generate` when the generated client is missing or older than the schema. Scripts call
 * it before importing anything that uses the client (its output goes to stderr, so that commands
 * such as `admin create-org` keep a clean stdout).
 */
export function generatePrismaClient(force = false): void {
  const generated = path.join(root, "lib", "generated", "prisma", "client.ts");
  const schema = path.join(root, "prisma", "schema.prisma");
  if (!force && fs.existsSync(generated) && fs.statSync(generated).mtimeMs >= fs.statSync(schema).mtimeMs) return;
  try {
    run(bin("prisma"), ["generate"], process.env, true);
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}. On a machine that cannot download Prisma's schema engine, ` +
        "set PRISMA_SCHEMA_ENGINE_BINARY (see README, \"Offline machines\").",
    );
  }
}

/** `next build` when there is no build, or a source file changed since the last one. */
export function buildApp(options: { force?: boolean; env?: NodeJS.ProcessEnv } = {}): void {
  generatePrismaClient();
  const buildId = path.join(root, env.LEADLINE_NEXT_DIST_DIR, "BUILD_ID");
  const sources = ["app", "components", "lib", "next.config.ts", "tailwind.config.ts", "postcss.config.mjs", "package-lock.json", "prisma/schema.prisma"];
  const skip = (p: string) => p.includes(`${path.sep}generated${path.sep}`) || p.endsWith(`${path.sep}generated`);
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(root, s), skip)));
  if (!options.force && fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= newestSource) return;
  console.log("Building Leadline (next build)…");
  run(bin("next"), ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env });
}

export function nextBin(): string {
  return bin("next");
}
