import "server-only";
import { prisma } from "@/lib/db/client";
import { migrationNames } from "@/lib/db/migrate";

export interface Readiness {
  ready: boolean;
  database: "ok" | "unreachable";
  /** Migrations of this build that the database has not applied yet. */
  pendingMigrations: string[];
}

/**
 * Whether this instance can serve: PostgreSQL answers and every migration this build ships
 * (prisma/migrations, traced into the build's output) is recorded as finished. A database ahead of
 * the build (a newer instance migrated first) is fine: migrations only expand before they contract.
 */
export async function checkReadiness(): Promise<Readiness> {
  const expected = migrationNames();
  let applied: Set<string>;
  try {
    const [table] = await prisma.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
    const rows = table?.present
      ? await prisma.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
      : [];
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    return { ready: false, database: "unreachable", pendingMigrations: expected };
  }
  const pendingMigrations = expected.filter((name) => !applied.has(name));
  return { ready: pendingMigrations.length === 0, database: "ok", pendingMigrations };
}
