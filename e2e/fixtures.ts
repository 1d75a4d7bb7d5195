import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { disconnectPrisma } from "@/lib/db/client";
import { DEMO } from "@/lib/demo/seed-demo";
import type { LeadDto } from "@/lib/leads/serialize";
import { createOrganization, getOrganizationBySlugOrThrow } from "@/lib/organizations/organizations";
import { createUser } from "@/lib/users/users";

/**
 * Fixtures of the browser tests. They talk to the same database as the app under test
 * (DATABASE_URL, set by `npm test`) through the services in lib/, never through raw SQL.
 */

export interface Credentials {
  name: string;
  email: string;
  password: string;
}

export interface TestApiKey {
  name: string;
  plaintext: string;
}

export interface OtherOrganization {
  slug: string;
  user: Credentials;
}

const suffix = () => randomBytes(4).toString("hex");

export async function signIn(page: Page, user: Pick<Credentials, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard(\?|$)/);
}

/**
 * No serious or critical accessibility violations on the page as it is now. Every page has a
 * title; after a client-side navigation Next.js streams the metadata in, so the scan waits for it
 * (axe would otherwise catch the instant the old title is gone and the new one not yet there).
 */
export async function expectAccessible(page: Page): Promise<void> {
  await expect(page).toHaveTitle(/Leadline/);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(blocking, `accessibility violations on ${page.url()}`).toEqual([]);
}

interface Envelope<T> {
  success: boolean;
  data: T;
}

/** Creates a lead through POST /api/leads, so a test has a lead no other test touches. */
export async function createLeadViaApi(request: APIRequestContext, apiKey: TestApiKey, body: Record<string, unknown>): Promise<LeadDto> {
  const response = await request.post("/api/leads", { headers: { "X-API-KEY": apiKey.plaintext }, data: body });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as Envelope<LeadDto>).data;
}

export async function patchLeadViaApi(request: APIRequestContext, apiKey: TestApiKey, body: Record<string, unknown>): Promise<LeadDto> {
  const response = await request.patch("/api/leads", { headers: { "X-API-KEY": apiKey.plaintext }, data: body });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as Envelope<{ leads: LeadDto[] }>).data.leads[0] as LeadDto;
}

export const test = base.extend<
  { salesUser: Credentials; signedInPage: Page; apiKey: TestApiKey; otherOrganization: OtherOrganization },
  { database: void }
>({
  /** Every test's page fails the test on any Content-Security-Policy violation (issue 8). */
  page: async ({ page }, provide) => {
    const violations: string[] = [];
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) =>
        console.error(`[CSP violation] ${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`),
      );
    });
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && (text.startsWith("[CSP violation]") || /Content Security Policy/i.test(text))) violations.push(text);
    });
    await provide(page);
    expect(violations, "Content-Security-Policy violations in the browser").toEqual([]);
  },

  // Closes the worker's database pool after its last test.
  database: [
    async ({}, provide) => {
      await provide();
      await disconnectPrisma();
    },
    { scope: "worker", auto: true },
  ],

  salesUser: async ({}, provide) => {
    await provide({ ...DEMO.sales });
  },

  signedInPage: async ({ page, salesUser }, provide) => {
    await signIn(page, salesUser);
    // Sign-in lands on the dashboard; most tests start from the leads list.
    await page.goto("/leads");
    await provide(page);
  },

  /** A fresh API key of the demo organization, revoked after the test. */
  apiKey: async ({}, provide) => {
    const organization = await getOrganizationBySlugOrThrow(DEMO.organization.slug);
    const name = `E2E key ${suffix()}`;
    const { plaintext } = await createApiKey({ organizationId: organization.id, name, createdById: null });
    await provide({ name, plaintext });
    await revokeApiKey(organization.id, { name });
  },

  /** A second organization with a salesperson of its own. */
  otherOrganization: async ({}, provide) => {
    const id = suffix();
    const organization = await createOrganization({ name: `Globex ${id}`, slug: `globex-${id}` });
    const user = { name: `Gina Globex ${id}`, email: `gina-${id}@globex.test`, password: `globex-password-${id}` };
    await createUser(organization.id, { ...user, role: "sales" });
    await provide({ slug: organization.slug, user });
  },
});

export { expect };
