import type { Metadata } from "next";
import { WebhooksManager } from "@/components/settings/webhooks-manager";
import { requireAdmin } from "@/lib/auth/session";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const admin = await requireAdmin();
  return <WebhooksManager initial={await listWebhookEndpoints(admin.organization.id)} />;
}
