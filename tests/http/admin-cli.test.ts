import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { patchLeads, signIn } from "../helpers/http";
import { createLead } from "@/lib/leads/create-lead";
import { uniqueSuffix } from "../helpers/fixtures";

/** `npm run admin -- <command>` against the test database (DATABASE_URL), as an operator runs it. */
/** Runs the CLI without blocking the test's event loop (its HTTP client must see idle sockets close meanwhile). */
function adminWithInput(input: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/admin.ts", ...args], { env: process.env, timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    child.stdin.end(input);
  });
}

const admin = (...args: string[]) => adminWithInput("", ...args);

// Each run starts tsx and opens the database: several seconds each on a busy machine.
describe("admin CLI", { timeout: 180_000 }, () => {
  const slug = `cli-${uniqueSuffix()}`;

  it("bootstraps an organization, a user and a working API key, then revokes it", async () => {
    const org = await admin("create-org", "--name", "Globex Corporation", "--slug", slug);
    expect(org).toMatchObject({ code: 0, stdout: slug });

    const user = await adminWithInput("s3cret-pass\n", "create-user", "--org", slug, "--email", `ops-${slug}@globex.example`, "--password-stdin", "--role", "admin");
    expect(user.code).toBe(0);
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: `ops-${slug}@globex.example` }, omit: { passwordHash: false } });
    expect(stored.role).toBe("admin");
    expect(stored.passwordHash).not.toContain("s3cret-pass");

    const created = await admin("create-api-key", "--org", slug, "--name", "Zapier");
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

    expect((await admin("revoke-api-key", "--org", slug, "--name", "Zapier")).code).toBe(0);
    expect((await patchLeads(key, { id: lead.id, status: "lost" })).status).toBe(401);
    // Five CLI processes in a row: each starts tsx and Prisma, which takes seconds on a busy machine.
  }, 180_000);

  it("takes passwords from standard input, never from the command line", async () => {
    const pwSlug = `pw-${uniqueSuffix()}`;
    const email = `${pwSlug}@globex.example`;
    expect((await admin("create-org", "--name", "Password Co", "--slug", pwSlug)).code).toBe(0);
    const onCommandLine = await admin("create-user", "--org", pwSlug, "--email", email, "--password", "longenough", "--role", "sales");
    expect(onCommandLine.code).not.toBe(0);
    expect(onCommandLine.stderr).toMatch(/--password is not accepted on the command line/);
    // No terminal to prompt on and no --password-stdin: refused, nothing created.
    expect((await admin("create-user", "--org", pwSlug, "--email", email, "--role", "sales")).stderr).toMatch(/--password-stdin/);
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();

    expect((await adminWithInput("first-password\n", "create-user", "--org", pwSlug, "--email", email, "--password-stdin", "--role", "sales")).code).toBe(0);
    expect(await signIn(email, "first-password")).not.toBeNull();
    const changed = await adminWithInput("second-password\r\nignored line\n", "set-password", "--email", email, "--password-stdin");
    expect(changed.code).toBe(0);
    expect(await signIn(email, "first-password")).toBeNull();
    expect(await signIn(email, "second-password")).not.toBeNull();
  }, 180_000);

  it("switches bulk updates on and off", async () => {
    const bulkSlug = `bulk-${uniqueSuffix()}`;
    await admin("create-org", "--name", "Bulk Co", "--slug", bulkSlug);
    expect((await admin("set-bulk-updates", "--org", bulkSlug, "--on")).code).toBe(0);
    expect((await prisma.organization.findUniqueOrThrow({ where: { slug: bulkSlug } })).allowBulkUpdates).toBe(true);
    expect((await admin("set-bulk-updates", "--org", bulkSlug, "--off")).code).toBe(0);
    expect((await prisma.organization.findUniqueOrThrow({ where: { slug: bulkSlug } })).allowBulkUpdates).toBe(false);
  }, 180_000);

  it.each([
    [["create-org"], /--name is required/],
    [["create-org", "--name", "Dup", "--slug", "acme"], /already exists/],
    [["create-user", "--org", "no-such-org", "--email", "a@b.co", "--password-stdin", "--role", "admin"], /No organization/],
    [["create-user", "--org", "acme", "--email", "x@acme.test", "--password-stdin", "--role", "boss"], /--role must be admin or sales/],
    [["create-user", "--org", "acme", "--email", "x@acme.test", "--password-stdin", "--role", "sales"], /at least 8 characters/],
    [["revoke-api-key", "--org", "acme", "--name", "No such key"], /API key not found/],
    [["set-bulk-updates", "--org", "acme"], /exactly one of --on or --off/],
    [["frobnicate"], /Unknown command/],
    [["create-org", "--bogus"], /Unknown option/],
  ])("fails clearly on %j", async (args, message) => {
    const result = await adminWithInput("short\n", ...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});
