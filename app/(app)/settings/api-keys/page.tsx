import type { Metadata } from "next";
import { ApiKeysManager } from "@/components/settings/api-keys-manager";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { requireAdmin } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const admin = await requireAdmin();
  return <ApiKeysManager initial={await listApiKeys(admin.organization.id)} />;
}
