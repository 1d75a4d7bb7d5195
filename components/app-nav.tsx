import Link from "next/link";
import type { Route } from "next";
import type { Role } from "@/lib/generated/prisma/enums";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

export interface NavUser {
  name: string;
  email: string;
  role: Role;
  organizationName: string;
}

interface NavItem {
  href: Route;
  label: string;
  /** Entries only some roles see. */
  roles?: readonly NavUser["role"][];
}

/**
 * The app's main navigation. Admin-only entries (such as Settings) go in this list with
 * `roles: ["admin"]`; the page behind them must check the role again.
 */
const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/pipeline", label: "Pipeline" },
  { href: "/leads", label: "Leads" },
  { href: "/leads/new", label: "New lead" },
  { href: "/settings", label: "Settings", roles: ["admin"] },
];

export function AppNav({ user }: { user: NavUser }) {
  const items = NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(user.role));
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/dashboard" className="rounded text-lg font-bold tracking-tight text-brand-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
          Leadline
        </Link>
        <nav aria-label="Main" className="flex-1">
          <ul className="flex flex-wrap items-center gap-1">
            {items.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flex items-center gap-3">
          <div className="text-right text-sm leading-tight">
            <p className="font-medium text-slate-900" data-testid="current-user">
              {user.name}
            </p>
            <p className="text-slate-600">{user.organizationName}</p>
          </div>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
