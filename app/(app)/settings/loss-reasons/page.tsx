import type { Metadata } from "next";
import { LossReasonsManager } from "@/components/settings/loss-reasons-manager";
import { requireAdmin } from "@/lib/auth/session";
import { listLossReasons } from "@/lib/loss-reasons/loss-reasons";

export const metadata: Metadata = { title: "Loss reasons" };

export default async function LossReasonsPage() {
  const admin = await requireAdmin();
  return <LossReasonsManager initial={await listLossReasons(admin.organization.id)} />;
}
