import { env } from "@/lib/env";
import { setDatabaseUrl } from "./client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";

export interface Database {
  url: string;
  /** True when the embedded PostgreSQL serves it. */
  embedded: boolean;
  /** Stops the embedded server if this process started it. */
  stop: () => Promise<void>;
}

/**
 * The database of this installation: DATABASE_URL when set, else the embedded PostgreSQL on
 * LEADLINE_PG_DIR (started, or reused when already running). Migrations are applied, and the
 * process's Prisma client is pointed at it. Node scripts only.
 */
export async function openDatabase(options: { log?: (line: string) => void } = {}): Promise<Database> {
  const log = options.log ?? (() => {});
  let database: Database;
  if (env.DATABASE_URL) {
    database = { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: env.LEADLINE_PG_DIR,
      port: env.LEADLINE_PG_PORT,
      database: env.LEADLINE_PG_DATABASE,
    });
    log(
      server.started
        ? `Started the embedded PostgreSQL on port ${server.port} (data in ${env.LEADLINE_PG_DIR})`
        : `Using the embedded PostgreSQL already running on port ${server.port}`,
    );
    database = { url: server.url, embedded: true, stop: server.stop };
  }
  const { applied } = await applyMigrations(database.url);
  if (applied.length > 0) log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
  setDatabaseUrl(database.url);
  return database;
}
