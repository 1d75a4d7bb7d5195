"use client";

import type { Route } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { linkClass } from "@/components/ui/styles";
import { useRecentImports } from "./import-api";

/** The organization's last imports, so a running one can be reopened. */
export function RecentImports() {
  const query = useRecentImports();
  if (!query.data || query.data.length === 0) return null;
  return (
    <section aria-labelledby="recent-imports-title" className="space-y-2">
      <h2 id="recent-imports-title" className="text-base font-semibold">
        Recent imports
      </h2>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
        {query.data.map((i) => (
          <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-2">
            <Link href={`/leads/import/${i.id}` as Route} className={linkClass}>
              {i.fileName}
            </Link>
            <span className="text-slate-600">
              {i.status} · {i.processedRows.toLocaleString("en-US")} of {i.totalRows.toLocaleString("en-US")} rows · <LocalTime iso={i.createdAt} mode="relative" />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
