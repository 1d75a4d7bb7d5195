import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, migrationNames } from "@/lib/db/migrate";
import { uniqueSuffix } from "../helpers/fixtures";

/**
 * Two app instances starting together on a fresh database: the advisory lock lets one apply the
 * migrations while the other waits, and the second then finds nothing to do.
 */
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error("DATABASE_URL is not set: run the suite with `npm test`");
const database = `migrate_race_${uniqueSuffix()}`;
const freshUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
})();

async function onServer<T>(run: (client: pg.Client) => Promise<T>, url = adminUrl!): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
});

describe("migrations at start", () => {
  it("apply each migration once when two processes start together; the second waits", async () => {
    await onServer((client) => client.query(`CREATE DATABASE "${database}"`));
    const expected = migrationNames();
    expect(expected.length).toBeGreaterThan(1);

    const [first, second] = await Promise.all([applyMigrations(freshUrl), applyMigrations(freshUrl)]);

    // Together they applied every migration, and no migration was applied by both.
    expect([...first.applied, ...second.applied].sort()).toEqual(expected);
    expect(first.applied.filter((name) => second.applied.includes(name))).toEqual([]);
    const rows = await onServer(
      (client) =>
        client.query<{ migration_name: string; count: string }>(
          `SELECT migration_name, count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL GROUP BY migration_name ORDER BY migration_name`,
        ),
      freshUrl,
    );
    expect(rows.rows.map((row) => [row.migration_name, Number(row.count)])).toEqual(expected.map((name) => [name, 1]));
    // The schema is really there.
    const tables = await onServer((client) => client.query(`SELECT to_regclass('"Lead"') IS NOT NULL AS present`), freshUrl);
    expect(tables.rows[0]).toEqual({ present: true });
    // A third start finds nothing to do.
    expect((await applyMigrations(freshUrl)).applied).toEqual([]);
  });
});
