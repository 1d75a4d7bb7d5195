import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { DEMO } from "@/lib/demo/seed-demo";
import { api } from "../helpers/http";

/** `npm test` seeds the demo data exactly as a first `npm start` does. */
describe("demo data", () => {
  it("has Acme with an admin, a salesperson, a working key and about 200 leads with history", async () => {
    const acme = await prisma.organization.findUniqueOrThrow({ where: { slug: DEMO.organization.slug } });
    expect(acme).toMatchObject({ name: "Acme", allowBulkUpdates: false, defaultPhoneCountry: "US", currency: "USD" });
    const users = await prisma.user.findMany({ where: { organizationId: acme.id }, orderBy: { role: "asc" } });
    expect(users.map((u) => [u.email, u.role])).toEqual([
      [DEMO.admin.email, "admin"],
      [DEMO.sales.email, "sales"],
    ]);
    // e2e tests may add leads to Acme; the seed itself made 200.
    expect(await prisma.lead.count({ where: { organizationId: acme.id } })).toBeGreaterThanOrEqual(DEMO.leadCount);
    expect(await prisma.leadNote.count({ where: { organizationId: acme.id } })).toBeGreaterThan(50);
    expect(await prisma.leadEvent.count({ where: { organizationId: acme.id, type: "updated" } })).toBeGreaterThan(100);

    const reply = await api("GET", "/api/leads?search=grace%20hopper", { key: DEMO.apiKey.plaintext });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject([{ name: "Grace Hopper", email: "grace.hopper@navalsystems.example" }]);
  });

  it("records when a key was last used", async () => {
    await api("GET", "/api/leads?limit=1", { key: DEMO.apiKey.plaintext });
    const deadline = Date.now() + 5_000;
    let lastUsedAt: Date | null = null;
    while (lastUsedAt === null && Date.now() < deadline) {
      lastUsedAt = (await prisma.apiKey.findFirstOrThrow({ where: { name: DEMO.apiKey.name, organization: { slug: "acme" } } })).lastUsedAt;
      if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lastUsedAt).not.toBeNull();
  });
});
