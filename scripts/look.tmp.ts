import { chromium } from "@playwright/test";
import { generatePrismaClient } from "./lib/build";
generatePrismaClient();
const { setDatabaseUrl, disconnectPrisma } = await import("@/lib/db/client");
const { DEMO, seedDemo } = await import("@/lib/demo/seed-demo");
const { startAppServer, startTempDatabase } = await import("./lib/test-environment");
const database = await startTempDatabase("leadline-look", "leadline_look");
setDatabaseUrl(database.url);
await seedDemo();
await disconnectPrisma();
const app = await startAppServer(database.url, { quiet: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const signIn = async (email: string, password: string, width: number) => {
    const page = await browser.newPage({ viewport: { width, height: 844 }, baseURL: app.baseUrl });
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/dashboard/);
    return page;
  };
  const admin = await signIn(DEMO.admin.email, DEMO.admin.password, 390);
  await admin.goto("/settings/loss-reasons");
  await admin.screenshot({ path: "/tmp/look-settings.png", fullPage: true });
  const sales = await signIn(DEMO.sales.email, DEMO.sales.password, 1280);
  await sales.goto("/pipeline");
  const first = sales.getByTestId("pipeline-card").first();
  await first.getByRole("button", { name: /Move to/ }).click();
  await sales.screenshot({ path: "/tmp/look-menu.png" });
  await sales.getByRole("button", { name: "Lost", exact: true }).first().click();
  await sales.getByLabel("Loss reason").selectOption({ label: "Other…" });
  await sales.screenshot({ path: "/tmp/look-dialog.png" });
} finally {
  await browser.close();
  await app.stop();
  await database.dispose();
}
