import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** `npm start` in production (NODE_ENV=production, a DATABASE_URL) on the test database, which has the demo. */
function start(env: Record<string, string>) {
  const result = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: process.env.DATABASE_URL, PORT: "1", ...env },
    timeout: 90_000,
  });
  return { code: result.status, stderr: result.stderr };
}

describe("npm start in production", () => {
  it("refuses without a session secret of 32+ characters", () => {
    const result = start({ NEXTAUTH_SECRET: "only-twenty-chars-xx" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refusing to start in production[\s\S]*NEXTAUTH_SECRET must be set to at least 32/);
  }, 120_000);

  it("refuses while the demo key or a demo password works, and says how to fix each", () => {
    const result = start({ NEXTAUTH_SECRET: "x".repeat(40) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/demo API key .* is active\. Revoke it: npm run admin -- revoke-api-key --org acme --name "Demo key"/);
    expect(result.stderr).toMatch(/admin@acme\.test still has its published password\. Change it: npm run admin -- set-password/);
    expect(result.stderr).not.toMatch(/Leadline is running/);
  }, 120_000);
});
