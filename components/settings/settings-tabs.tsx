"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "@/components/ui/styles";

const TABS: { href: Route; label: string }[] = [
  { href: "/settings", label: "Organization" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/users", label: "Users" },
  { href: "/settings/loss-reasons", label: "Loss reasons" },
  { href: "/settings/webhooks", label: "Webhooks" },
];

export function SettingsTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-4 gap-y-1">
        {TABS.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block rounded-t border-b-2 px-1 pb-2 text-sm font-medium ${focusRing} ${
                  current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:border-slate-300"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
