import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { patchLeads } from "../helpers/http";
import { createLead } from "@/lib/leads/create-lead";
import { uniqueSuffix } from "../helpers/fixtures";

/** `npm run admin -- <command>` against the test database (DATABASE_URL), as an operator runs it. */
function admin(...args: string[]) {
  const result = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/admin.ts", ...args], {
    encoding: "utf8",
    env: process.env,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

// Each run starts tsx and opens the database: several seconds each on a busy machine.
describe("admin CLI", { timeout: 120_000 }, () => {
  const slug = `cli-${uniqueSuffix()}`;

  it("bootstraps an organization, a user and a working API key, then revokes it", async () => {
    const org = admin("create-org", "--name", "Globex Corporation", "--slug", slug);
    expect(org).toMatchObject({ code: 0, stdout: slug });

    const user = admin("create-user", "--org", slug, "--email", `ops-${slug}@globex.example`, "--password", "s3cret-pass", "--role", "admin");
    expect(user.code).toBe(0);
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: `ops-${slug}@globex.example` }, omit: { passwordHash: false } });
    expect(stored.role).toBe("admin");
    expect(stored.passwordHash).not.toContain("s3cret-pass");

    const created = admin("create-api-key", "--org", slug, "--name", "Zapier");
    expect(created.code).toBe(0);
    const key = created.stdout.split("\n").at(-1)!;
    expect(key).toMatch(/^ll_[A-Za-z0-9]{40}$/);
    const organization = await prisma.organization.findUniqueOrThrow({ where: { slug } });
    const storedKey = await prisma.apiKey.findFirstOrThrow({ where: { organizationId: organization.id }, omit: { hashedKey: false } });
    expect(storedKey.hashedKey).not.toContain(key);
    expect(storedKey.suffix).toBe(key.slice(-4));

    const lead = await createLead(
      { organization, actor: { type: "system", name: "test" }, source: "system", requestId: "req_test" },
      { email: "one@globex.example" },
    );
    expect((await patchLeads(key, { id: lead.id, status: "won" })).status).toBe(200);

    expect(admin("revoke-api-key", "--org", slug, "--name", "Zapier").code).toBe(0);
    // spawnSync blocked the event loop for seconds: let fetch see that the server closed the idle
    // keep-alive connection meanwhile, instead of sending the next request on it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await patchLeads(key, { id: lead.id, status: "lost" })).status).toBe(401);
  });

  it("switches bulk updates on and off", async () => {
    const bulkSlug = `bulk-${uniqueSuffix()}`;
    admin("create-org", "--name", "Bulk Co", "--slug", bulkSlug);
    expect(admin("set-bulk-updates", "--org", bulkSlug, "--on").code).toBe(0);
    expect((await prisma.organization.findUniqueOrThrow({ where: { slug: bulkSlug } })).allowBulkUpdates).toBe(true);
    expect(admin("set-bulk-updates", "--org", bulkSlug, "--off").code).toBe(0);
    expect((await prisma.organization.findUniqueOrThrow({ where: { slug: bulkSlug } })).allowBulkUpdates).toBe(false);
  });

  it.each([
    [["create-org"], /--name is required/],
    [["create-org", "--name", "Dup", "--slug", "acme"], /already exists/],
    [["create-user", "--org", "no-such-org", "--email", "a@b.co", "--password", "longenough", "--role", "admin"], /No organization/],
    [["create-user", "--org", "acme", "--email", "x@acme.test", "--password", "longenough", "--role", "boss"], /--role must be admin or sales/],
    [["create-user", "--org", "acme", "--email", "x@acme.test", "--password", "short", "--role", "sales"], /at least 8 characters/],
    [["revoke-api-key", "--org", "acme", "--name", "No such key"], /API key not found/],
    [["set-bulk-updates", "--org", "acme"], /exactly one of --on or --off/],
    [["frobnicate"], /Unknown command/],
    [["create-org", "--bogus"], /Unknown option/],
  ])("fails clearly on %j", (args, message) => {
    const result = admin(...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
