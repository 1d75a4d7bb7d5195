import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { findRunningServer, sharedBuffersMb, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";

/** The embedded default database: restarts keep data, and one data folder never gets two servers. */

const root = fs.mkdtempSync(path.join(os.tmpdir(), "leadline-embedded-test-"));
fs.chmodSync(root, 0o755);
const dataDir = path.join(root, "pg");
const port = 20000 + Math.floor(Math.random() * 20000);
const handles: EmbeddedPostgresHandle[] = [];

afterAll(async () => {
  for (const handle of handles.reverse()) await handle.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("starts once per data folder, reuses a running server, and keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir, port, database: "leadline" });
    handles.push(first);
    expect(first.started).toBe(true);
    expect(findRunningServer(dataDir)).toBe(port);

    // Migrations: applied once, recorded as Prisma records them, and not again.
    const applied = await applyMigrations(first.url);
    expect(applied.applied.length).toBeGreaterThan(0);
    expect((await applyMigrations(first.url)).applied).toEqual([]);
    const recorded = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      first.url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`,
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(applied.applied);
    expect(recorded.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at !== null)).toBe(true);

    await query(first.url, `INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('org_keep', 'Keep', 'keep', now())`);

    // A second start on the same folder, even with another port, reuses the running server.
    const second = await startEmbeddedPostgres({ dataDir, port: port + 1, database: "leadline" });
    handles.push(second);
    expect(second).toMatchObject({ started: false, port });

    await first.stop();
    handles.splice(handles.indexOf(first), 1);
    expect(findRunningServer(dataDir)).toBeNull();

    const restarted = await startEmbeddedPostgres({ dataDir, port, database: "leadline" });
    handles.push(restarted);
    expect(restarted.started).toBe(true);
    expect(await query<{ slug: string }>(restarted.url, `SELECT slug FROM "Organization"`)).toEqual([{ slug: "keep" }]);

    // Its page cache is sized by the machine's memory, not PostgreSQL's 128 MB default.
    const [{ setting, unit } = { setting: "", unit: "" }] = await query<{ setting: string; unit: string }>(
      restarted.url,
      `SELECT setting, unit FROM pg_settings WHERE name = 'shared_buffers'`,
    );
    expect(unit).toBe("8kB");
    expect((Number(setting) * 8) / 1024).toBe(sharedBuffersMb());
  }, 120_000);

  it("sizes its page cache at a quarter of the machine's memory, between 128 MB and 1 GB", () => {
    const gb = 1024 ** 3;
    expect(sharedBuffersMb(24 * gb)).toBe(1024);
    expect(sharedBuffersMb(2 * gb)).toBe(512);
    expect(sharedBuffersMb(gb / 4)).toBe(128);
  });

  it("has random passwords kept in the data folder (0600), and the app connects as a role that is not a superuser", async () => {
    const handle = await startEmbeddedPostgres({ dataDir, port, database: "leadline" });
    handles.push(handle);
    const file = path.join(dataDir, "leadline-credentials.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(fs.readFileSync(file, "utf8")) as { superuserPassword: string; appPassword: string };
    expect(credentials.superuserPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new URL(handle.url).username).toBe("leadline_app");
    const [role] = await query<{ rolsuper: boolean; owner: string }>(
      handle.url,
      `SELECT r.rolsuper, pg_get_userbyid(d.datdba) AS owner FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    expect(role).toEqual({ rolsuper: false, owner: "leadline_app" });
    // The old fixed password opens nothing.
    await expect(query(`postgresql://postgres:leadline-embedded@127.0.0.1:${handle.port}/postgres`, "SELECT 1")).rejects.toThrow();
  }, 120_000);

  it("moves a data folder from before (fixed password, superuser-owned database) to the new scheme, keeping its data", async () => {
    for (const running of handles.splice(0).reverse()) await running.stop();
    const handle = await startEmbeddedPostgres({ dataDir, port, database: "leadline" });
    handles.push(handle);
    expect(handle.started).toBe(true);
    const file = path.join(dataDir, "leadline-credentials.json");
    const credentials = JSON.parse(fs.readFileSync(file, "utf8")) as { superuserPassword: string };
    const superuser = (database: string, password = credentials.superuserPassword) => `postgresql://postgres:${password}@127.0.0.1:${handle.port}/${database}`;
    // What an earlier version left: the superuser's fixed password, a database and tables it owns, no credentials file.
    await query(superuser("postgres"), `CREATE DATABASE legacy`);
    await query(superuser("legacy"), `CREATE TYPE "Mood" AS ENUM ('ok'); CREATE TABLE "Old" (id serial PRIMARY KEY, mood "Mood"); INSERT INTO "Old" (mood) VALUES ('ok')`);
    await query(superuser("postgres"), `ALTER ROLE postgres PASSWORD 'leadline-embedded'`);
    await handle.stop();
    handles.splice(handles.indexOf(handle), 1);
    fs.rmSync(file);

    const migrated = await startEmbeddedPostgres({ dataDir, port, database: "legacy" });
    handles.push(migrated);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new URL(migrated.url).username).toBe("leadline_app");
    expect(await query<{ mood: string }>(migrated.url, `SELECT mood FROM "Old"`)).toEqual([{ mood: "ok" }]);
    // The app role owns what it needs to migrate: it can change the old table.
    await query(migrated.url, `ALTER TABLE "Old" ADD COLUMN note text; INSERT INTO "Old" (mood) VALUES ('ok')`);
    await expect(query(superuser("postgres", "leadline-embedded"), "SELECT 1")).rejects.toThrow();
    // Migrations run as the app role on the migrated database.
    expect((await applyMigrations(migrated.url)).applied.length).toBeGreaterThan(0);
  }, 180_000);
});
