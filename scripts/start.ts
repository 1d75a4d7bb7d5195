/**
 * `npm start`: the database (embedded PostgreSQL unless DATABASE_URL is set), migrations, demo data
 * on first start, a production build when the sources changed, then `next start`.
 * `npm run dev` (`--dev`): the same, with `next dev` instead of a build.
 */
import "./lib/server-side";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildApp, generatePrismaClient, nextBin } from "./lib/build";
import { waitForHttp } from "./lib/http";

generatePrismaClient();
const { hashApiKey } = await import("@/lib/api-keys/api-keys");
const { openDatabase } = await import("@/lib/db/bootstrap");
const { disconnectPrisma, prisma } = await import("@/lib/db/client");
const { DEMO, hasAnyOrganization, seedDemo } = await import("@/lib/demo/seed-demo");
const { demoCredentialProblems, isProductionDeployment, secretProblems, shouldSeedDemo } = await import("@/lib/security/production-check");
import { env } from "@/lib/env";

const log = (line: string) => console.log(`[leadline] ${line}`);

/** A session secret that survives restarts, kept beside the embedded database (git-ignored). */
function sessionSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  const file = path.join(process.cwd(), ".data", "nextauth-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  log(`Generated a session secret in ${path.relative(process.cwd(), file)} (set NEXTAUTH_SECRET in production)`);
  return secret;
}

async function demoBanner(): Promise<string[]> {
  const organization = await prisma.organization.findUnique({ where: { slug: DEMO.organization.slug } });
  if (!organization) return [];
  const key = await prisma.apiKey.findUnique({ where: { hashedKey: hashApiKey(DEMO.apiKey.plaintext) } });
  return [
    `Demo organization "${DEMO.organization.name}":`,
    `  admin        ${DEMO.admin.email} / ${DEMO.admin.password}`,
    `  salesperson  ${DEMO.sales.email} / ${DEMO.sales.password}`,
    key && !key.revokedAt ? `  API key      ${DEMO.apiKey.plaintext}` : "  API key      (the demo key was revoked)",
  ];
}

/** Production (NODE_ENV=production with a DATABASE_URL) does not start with demo credentials or a weak secret. */
function refuseToStart(problems: string[]): void {
  if (problems.length === 0) return;
  console.error(["[leadline] Refusing to start in production:", ...problems.map((p) => `  - ${p}`), "See README, \"Production checklist\"."].join("\n"));
  process.exit(1);
}

async function main() {
  const forceBuild = process.argv.includes("--build");
  const dev = process.argv.includes("--dev");
  const production = isProductionDeployment();
  if (production) refuseToStart(secretProblems(env.NEXTAUTH_SECRET));
  const database = await openDatabase({ log });
  if (shouldSeedDemo(env.LEADLINE_SEED_DEMO, database.embedded) && !(await hasAnyOrganization())) {
    log("Empty database: seeding the demo organization…");
    await seedDemo();
  }
  if (production) {
    const problems = await demoCredentialProblems();
    if (problems.length > 0) {
      await disconnectPrisma();
      await database.stop();
      refuseToStart(problems);
    }
  }
  const banner = await demoBanner();
  await disconnectPrisma();

  if (!dev) buildApp({ force: forceBuild });

  const url = env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
  const child = spawn(process.execPath, [nextBin(), dev ? "dev" : "start", "-p", String(env.PORT)], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: sessionSecret(),
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  let exited = false;
  const stopped = new Promise<number>((resolve) =>
    child.on("exit", (code) => {
      exited = true;
      resolve(code ?? 0);
    }),
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }

  try {
    await waitForHttp(`http://127.0.0.1:${env.PORT}/api/ready`, dev ? 180_000 : 60_000, () => !exited);
    console.log(["", `Leadline is running at ${url}`, ...banner, "Press Ctrl+C to stop.", ""].join("\n"));
  } catch (error) {
    console.error(`[leadline] ${error instanceof Error ? error.message : String(error)}`);
    child.kill("SIGTERM");
  }

  const code = await stopped;
  await database.stop();
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`[leadline] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
