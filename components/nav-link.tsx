"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "./ui/styles";

export function NavLink({ href, children }: { href: Route; children: React.ReactNode }) {
  const pathname = usePathname();
  // "/leads" is current on a lead's page too, but not on "New lead", which has its own entry.
  const current =
    pathname === href ||
    (href === "/leads" && pathname.startsWith("/leads/") && pathname !== "/leads/new") ||
    (href === "/settings" && pathname.startsWith("/settings/"));
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded-md px-3 py-2 text-sm font-medium ${focusRing} ${current ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
    >
      {children}
    </Link>
  );
}
