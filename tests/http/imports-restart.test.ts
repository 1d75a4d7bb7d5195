import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, startTempDatabase, type AppServer, type TempDatabase } from "../../scripts/lib/test-environment";

/**
 * A server restart in the middle of an import: the import runs in the app's background worker
 * (pg-boss) on a database of its own, the server is killed (SIGKILL: no graceful shutdown), a new
 * server starts on the same database, and the import resumes where it was and finishes with
 * every row applied exactly once.
 */

let database: TempDatabase;
let server: AppServer | undefined;
let apiKey: string;

function admin(databaseUrl: string, ...args: string[]): string {
  const result = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/admin.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`admin ${args[0]} failed: ${result.stderr}`);
  return result.stdout.trim();
}

interface Progress {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  created: number;
  failed: number;
}

async function progress(baseUrl: string, id: string): Promise<Progress> {
  const response = await fetch(`${baseUrl}/api/leads/imports/${id}`, { headers: { "X-API-KEY": apiKey } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Progress }).data;
}

beforeAll(async () => {
  database = await startTempDatabase("leadline-import-restart", "leadline_restart");
  admin(database.url, "create-org", "--name", "Restart Org", "--slug", "restart-org");
  apiKey = admin(database.url, "create-api-key", "--org", "restart-org", "--name", "Restart key").split("\n").at(-1)!;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
}, 60_000);

describe("an import across a server restart", () => {
  it("resumes after the server is killed mid-import and applies every row once", { timeout: 240_000 }, async () => {
    const total = 3000;
    const rows = Array.from({ length: total }, (_, i) => `Lead ${i},lead${i}@restart.example,${i % 100 === 0 ? "oops" : i}`);
    server = await startAppServer(database.url, { quiet: true });
    const upload = await fetch(`${server.baseUrl}/api/leads/imports?mode=update&fileName=restart.csv`, {
      method: "POST",
      headers: { "X-API-KEY": apiKey, "Content-Type": "text/csv" },
      body: `name,email,value\n${rows.join("\n")}\n`,
    });
    expect(upload.status).toBe(202);
    const { id } = ((await upload.json()) as { data: Progress }).data;

    // Wait until the worker is under way, then kill the server without warning.
    let before: Progress;
    for (;;) {
      before = await progress(server.baseUrl, id);
      if (before.processedRows > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    server.process.kill("SIGKILL");
    await server.stop();
    expect(before.status).toBe("running");
    expect(before.processedRows).toBeLessThan(total);

    // A new server on the same database: the dead worker's lease runs out, and the import resumes.
    server = await startAppServer(database.url, { quiet: true });
    let after: Progress;
    for (;;) {
      after = await progress(server.baseUrl, id);
      if (after.status === "completed" || after.status === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const bad = total / 100;
    expect(after).toMatchObject({ status: "completed", totalRows: total, processedRows: total, created: total - bad, failed: bad });
    expect(after.processedRows).toBeGreaterThanOrEqual(before.processedRows);

    // Every good row is one lead: nothing was created twice.
    const exported = await fetch(`${server.baseUrl}/api/leads/export`, { headers: { "X-API-KEY": apiKey } });
    const lines = (await exported.text()).trim().split("\r\n");
    expect(lines).toHaveLength(1 + total - bad);
    expect(new Set(lines.map((line) => line.split(",")[2])).size).toBe(lines.length);
  });
});
