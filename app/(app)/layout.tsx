import { AppNav } from "@/components/app-nav";
import { requireUser } from "@/lib/auth/session";

/** Every page in this group needs a signed-in, active user; the proxy's cookie check is only a shortcut. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <AppNav user={{ name: user.name, email: user.email, role: user.role, organizationName: user.organization.name }} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}
