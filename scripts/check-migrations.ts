/**
 * `npm run db:check`: fails when prisma/schema.prisma and prisma/migrations disagree (a schema
 * change without its migration). Runs Prisma's own diff against a throw-away embedded PostgreSQL.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { generatePrismaClient } from "./lib/build";

generatePrismaClient();
const { startTempDatabase } = await import("./lib/test-environment");

const database = await startTempDatabase("leadline-migrations", "leadline_check");
let status: number | null;
try {
  const result = spawnSync(
    path.join(process.cwd(), "node_modules", ".bin", "prisma"),
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
    { stdio: "inherit", env: { ...process.env, DATABASE_URL: database.url } },
  );
  status = result.status;
} finally {
  await database.dispose();
}
if (status === 0) {
  console.log("Migrations match the schema.");
} else {
  console.error(
    status === 2
      ? "prisma/schema.prisma has changes without a migration: run `npm run db:migrate -- --name <change>`."
      : "prisma migrate diff failed.",
  );
}
process.exit(status === 0 ? 0 : 1);
