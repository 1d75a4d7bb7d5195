import type { Metadata } from "next";
import Link from "next/link";
import { ImportWizard } from "@/components/imports/import-wizard";
import { RecentImports } from "@/components/imports/recent-imports";
import { linkClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Import leads" };

export default function ImportLeadsPage() {
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/leads" className={linkClass}>
          ← All leads
        </Link>
      </nav>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Import leads</h1>
        <p className="mt-1 text-sm text-slate-600">
          Upload a CSV file, check how its columns map to lead fields, preview the first rows, and run it. Large files run in the
          background.
        </p>
      </div>
      <ImportWizard />
      <RecentImports />
    </div>
  );
}
