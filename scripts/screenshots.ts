/**
 * `npm run screenshots`: the README's pictures of the dashboard and the pipeline board, made from
 * the demo data. Builds the app if needed, starts it on a throw-away embedded PostgreSQL seeded
 * exactly as a first `npm start`, signs in as the demo salesperson in Chromium (/usr/bin/chromium,
 * or CHROMIUM_PATH) and saves docs/images/dashboard.png and docs/images/pipeline.png.
 * Options: --width 1280 (viewport width), --suffix=-mobile (appended to the file names), --skip-build.
 */
import "./lib/server-side";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildApp, generatePrismaClient } from "./lib/build";
import type { AppServer, TempDatabase } from "./lib/test-environment";

generatePrismaClient();
const { chromium } = await import("@playwright/test");
const { setDatabaseUrl, disconnectPrisma } = await import("@/lib/db/client");
const { DEMO, seedDemo } = await import("@/lib/demo/seed-demo");
const { startAppServer, startTempDatabase } = await import("./lib/test-environment");

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { width: { type: "string", default: "1280" }, suffix: { type: "string", default: "" }, "skip-build": { type: "boolean" } },
});
const width = Number(values.width);
if (!Number.isInteger(width) || width < 320 || width > 2560) {
  console.error("--width must be a whole number of pixels between 320 and 2560");
  process.exit(2);
}
const outDir = path.join(process.cwd(), "docs", "images");
const log = (line: string) => console.log(`[screenshots] ${line}`);

async function main(): Promise<void> {
  if (!values["skip-build"]) buildApp();
  let database: TempDatabase | undefined;
  let app: AppServer | undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    database = await startTempDatabase("leadline-screenshots", "leadline_screenshots");
    setDatabaseUrl(database.url);
    await seedDemo();
    await disconnectPrisma();
    app = await startAppServer(database.url, { quiet: true });
    log(`App on demo data at ${app.baseUrl}`);

    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1, baseURL: app.baseUrl, locale: "en-US", timezoneId: "UTC" });
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(DEMO.sales.email);
    await page.getByLabel("Password").fill(DEMO.sales.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/dashboard/);
    fs.mkdirSync(outDir, { recursive: true });

    await page.goto("/dashboard?period=12m");
    await page.locator("[data-testid=chart-weekly] svg.recharts-surface").first().waitFor();
    await page.waitForTimeout(500); // the charts measure their containers once after mounting
    await page.screenshot({ path: path.join(outDir, `dashboard${values.suffix}.png`), fullPage: true });
    log(`saved docs/images/dashboard${values.suffix}.png`);

    await page.goto("/pipeline");
    await page.getByTestId("pipeline-card").first().waitFor();
    await page.screenshot({ path: path.join(outDir, `pipeline${values.suffix}.png`), fullPage: false });
    log(`saved docs/images/pipeline${values.suffix}.png`);
  } finally {
    await browser.close();
    await app?.stop();
    await database?.dispose();
  }
}

await main();
