import { afterAll, expect, it } from "vitest";
import pg from "pg";
import { hashApiKey } from "@/lib/api-keys/api-keys";
import { startAppServer, startTempDatabase, WEBHOOK_TEST_ENV, type AppServer, type TempDatabase } from "../../scripts/lib/test-environment";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

/**
 * Killing the app mid-delivery: the delivery is not lost. Runs its own database and app (the
 * only instance, so the one killed is the one sending), kills it while the receiver holds the
 * request, starts it again, and the event arrives.
 */

let database: TempDatabase | undefined;
let app: AppServer | undefined;
let receiver: Receiver | undefined;

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await database?.dispose();
});

it("a delivery interrupted by a crash of the app is sent after the restart, with the same event id", { timeout: 150_000 }, async () => {
  database = await startTempDatabase("leadline-webhooks-restart", "leadline_restart");
  receiver = await startReceiver();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const apiKey = "ll_restarttestkey000000000000000000000000";
  try {
    await db.query(`INSERT INTO "Organization" ("id", "name", "slug", "updatedAt") VALUES ('org_restart', 'Restart', 'restart', now())`);
    await db.query(`INSERT INTO "ApiKey" ("id", "organizationId", "name", "hashedKey", "suffix") VALUES ('key_restart', 'org_restart', 'Key', $1, '0000')`, [hashApiKey(apiKey)]);
    await db.query(
      `INSERT INTO "WebhookEndpoint" ("id", "organizationId", "url", "events", "statuses", "secret", "updatedAt")
       VALUES ('wh_restart', 'org_restart', $1, ARRAY['lead.created'], '{}', 'whsec_restart', now())`,
      [receiver.url],
    );

    receiver.hold = true;
    app = await startAppServer(database.url, { quiet: true, env: WEBHOOK_TEST_ENV });
    const created = await fetch(`${app.baseUrl}/api/leads`, {
      method: "POST",
      headers: { "X-API-KEY": apiKey, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Crash test" }),
    });
    expect(created.status).toBe(201);

    // The app is sending: the receiver holds the request open. Kill the app right there.
    const claimed = async () => (await db.query(`SELECT "attempts", "status" FROM "WebhookDelivery"`)).rows as { attempts: number; status: string }[];
    for (let i = 0; (await claimed())[0]?.attempts !== 1; i++) {
      if (i > 400) throw new Error("the delivery was never attempted");
      await new Promise((r) => setTimeout(r, 50));
    }
    const killed = app;
    await new Promise<void>((resolve) => {
      killed.process.once("exit", () => resolve());
      killed.process.kill("SIGKILL");
    });
    app = undefined;
    receiver.release();
    receiver.hold = false;
    expect((await claimed())[0]?.status).toBe("pending");

    app = await startAppServer(database.url, { quiet: true, env: WEBHOOK_TEST_ENV });
    const [delivery] = await receiver.waitFor(1, 90_000);
    expect(delivery?.json.type).toBe("lead.created");
    const row = (await db.query(`SELECT "eventId", "status", "attempts" FROM "WebhookDelivery"`)).rows[0] as { eventId: string; status: string; attempts: number };
    expect(delivery?.json.id).toBe(row.eventId);
    for (let i = 0; (await claimed())[0]?.status !== "delivered"; i++) {
      if (i > 200) throw new Error("the delivery was never marked delivered");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await claimed())[0]?.attempts).toBe(2);
  } finally {
    await db.end();
  }
});
