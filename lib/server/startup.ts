import { databaseUrl } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { logger } from "@/lib/log";

/**
 * LEADLINE_MIGRATE_ON_START=true (the container image): the server applies pending migrations
 * before it serves, under the runner's advisory lock, so instances starting together apply each
 * migration once and the others wait. A failed migration stops the process.
 */
export async function migrateOnStart(): Promise<void> {
  try {
    const { applied } = await applyMigrations(databaseUrl());
    logger.info({ applied }, applied.length > 0 ? "Applied migrations" : "Migrations up to date");
  } catch (error) {
    logger.fatal({ err: error }, "Migrations failed: not starting");
    process.exit(1);
  }
}
