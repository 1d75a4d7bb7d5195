import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { findRunningServer, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/db/embedded-postgres";
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
  }, 120_000);
});
