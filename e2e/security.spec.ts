import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

test.describe("security in the browser", () => {
  test("pages allow only the app's own scripts: injected inline script is blocked and reported", async ({ browser }) => {
    // A page of its own: the fixture's page would fail this test for the violation it provokes on purpose.
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto("/sign-in");
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    // What an XSS would inject: markup with an inline event handler and a javascript: URL.
    const ran = await page.evaluate(async () => {
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="/no-such-image.png" onerror="window.__injected = true"><a id="xss" href="javascript:window.__injected = true">x</a>';
      document.body.appendChild(holder);
      document.getElementById("xss")?.click();
      await new Promise((resolve) => setTimeout(resolve, 500));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    await context.close();
  });

  test("a limited sign-in says so clearly, the same whether or not the account exists", async ({ page, otherOrganization }) => {
    const limitedMessage = "Too many sign-in attempts. Wait a few minutes, then try again.";
    for (const email of [otherOrganization.user.email, `nobody-${randomBytes(4).toString("hex")}@example.com`]) {
      await page.goto("/sign-in");
      await page.getByLabel("E-mail").fill(email);
      for (let i = 0; i < 5; i++) {
        await page.getByLabel("Password").fill(`wrong-${i}`);
        const [reply] = await Promise.all([
          page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
          page.getByRole("button", { name: "Sign in" }).click(),
        ]);
        expect(reply.status()).toBe(401);
        await expect(page.getByRole("alert").filter({ hasText: "The e-mail or password is incorrect." })).toBeVisible();
      }
      // Now even the right password is refused until the wait is over.
      await page.getByLabel("Password").fill(email === otherOrganization.user.email ? otherOrganization.user.password : "wrong-again");
      const [limited] = await Promise.all([
        page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      expect(limited.status()).toBe(429);
      await expect(page.getByRole("alert").filter({ hasText: limitedMessage })).toBeVisible();
      await expect(page).toHaveURL(/\/sign-in/);
    }
  });
});
