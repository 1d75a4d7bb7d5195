import type { Metadata } from "next";
import { UsersManager } from "@/components/settings/users-manager";
import { requireAdmin } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const admin = await requireAdmin();
  return <UsersManager initial={await listUsers(admin.organization.id)} currentUserId={admin.id} />;
}
