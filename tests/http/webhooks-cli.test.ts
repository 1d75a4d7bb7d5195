import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createOrganization } from "@/lib/organizations/organizations";
import { uniqueSuffix } from "../helpers/fixtures";

/** `npm run admin -- add-webhook / list-webhooks`, as an operator scripts a setup. */
function admin(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["scripts/admin.ts", ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

it("adds and lists webhook endpoints; a private URL is refused without LEADLINE_WEBHOOKS_ALLOW_PRIVATE", { timeout: 120_000 }, async () => {
  const env = { ...process.env, LEADLINE_WEBHOOKS_ALLOW_PRIVATE: "false" };
  const slug = `hooks-${uniqueSuffix()}`;
  await createOrganization({ name: "Hooks Co", slug });

  const refused = admin(env, "add-webhook", "--org", slug, "--url", "https://169.254.169.254/latest", "--events", "lead.created");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/url: resolves to 169\.254\.169\.254, a loopback, private, link-local or metadata address/);

  const added = admin(env, "add-webhook", "--org", slug, "--url", "https://93.184.215.14/hooks", "--events", "lead.status_changed,lead.created", "--statuses", "won", "--description", "CRM sync");
  expect(added.code, added.stderr).toBe(0);
  const secret = added.stdout.split("\n").at(-1);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  const organization = await prisma.organization.findUniqueOrThrow({ where: { slug } });
  const stored = await prisma.webhookEndpoint.findFirstOrThrow({ where: { organizationId: organization.id } });
  expect(stored).toMatchObject({ url: "https://93.184.215.14/hooks", events: ["lead.status_changed", "lead.created"], statuses: ["won"], description: "CRM sync", enabled: true });

  const allowed = admin({ ...env, LEADLINE_WEBHOOKS_ALLOW_PRIVATE: "true" }, "add-webhook", "--org", slug, "--url", "http://127.0.0.1:9/hook", "--events", "lead.created");
  expect(allowed.code, allowed.stderr).toBe(0);

  const listed = admin(env, "list-webhooks", "--org", slug);
  expect(listed.code).toBe(0);
  expect(listed.stdout.split("\n")).toHaveLength(2);
  expect(listed.stdout).toContain(`${stored.id}\tenabled\thttps://93.184.215.14/hooks\tlead.status_changed,lead.created (status: won)`);
  expect(listed.stdout).not.toContain("whsec_");
});
