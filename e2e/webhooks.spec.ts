import { randomBytes } from "node:crypto";
import { createOrganization } from "@/lib/organizations/organizations";
import { createUser } from "@/lib/users/users";
import { startReceiver, type Receiver } from "../tests/helpers/webhook-receiver";
import { expect, expectAccessible, signIn, test } from "./fixtures";

/** The Webhooks settings page, as an admin uses it, against a receiver on 127.0.0.1. */

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test("an admin adds an endpoint, sends a test event, sees it in the log and replays it", async ({ page }) => {
  const tag = randomBytes(4).toString("hex");
  const organization = await createOrganization({ name: `Hooks ${tag}`, slug: `hooks-${tag}` });
  const admin = { email: `hooks-admin-${tag}@example.com`, password: "webhooks admin password" };
  await createUser(organization.id, { name: "Hook Admin", email: admin.email, password: admin.password, role: "admin" });

  await signIn(page, admin);
  await page.goto("/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Add a webhook endpoint" })).toBeVisible();
  await expect(page.getByText("No webhook endpoints yet.")).toBeVisible();

  // Validation: an URL is required, shown next to the field.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("URL").fill(receiver.url);
  await page.getByLabel("Description").fill("Billing tool");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = page.getByTestId("webhook-secret");
  await expect(secret).toContainText("it will not be shown again");
  await expect(secret.getByLabel("Signing secret")).toHaveValue(/^whsec_/);
  await expectAccessible(page);
  await secret.getByRole("button", { name: "Done" }).click();
  await expect(secret).toBeHidden();

  const endpoint = page.getByTestId("webhook-endpoint");
  await expect(endpoint).toContainText(receiver.url);
  await expect(endpoint).toContainText("Enabled");

  await endpoint.getByRole("button", { name: "Send test event to Billing tool" }).click();
  const log = endpoint.getByTestId("delivery-log");
  const rows = log.getByTestId("delivery-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("webhook.test");
  await expect(rows.first()).toContainText("delivered");
  await expect(rows.first()).toContainText("HTTP 200");
  await expectAccessible(page);
  const [first] = await receiver.waitFor(1);

  await rows.first().getByRole("button", { name: /^Replay webhook\.test/ }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("delivered");
  const requests = await receiver.waitFor(2);
  expect(requests[1]?.json.id).toBe(first?.json.id);

  await endpoint.getByRole("button", { name: "Disable Billing tool" }).click();
  await expect(endpoint.getByTestId("disabled-reason")).toContainText("Disabled by an admin");
  await endpoint.getByRole("button", { name: "Enable Billing tool" }).click();
  await expect(endpoint).toContainText("Enabled");
});
