import { SettingsTabs } from "@/components/settings/settings-tabs";
import { requireAdmin } from "@/lib/auth/session";

/** Settings are for admins; each page checks again, since a layout is not re-run on every navigation. */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Settings</h1>
        <p className="mt-1 text-sm text-slate-600">How Leadline and its API behave for {admin.organization.name}.</p>
      </div>
      <SettingsTabs />
      {children}
    </div>
  );
}
