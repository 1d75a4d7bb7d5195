import type { Metadata } from "next";
import { ImportWizard } from "@/components/imports/import-wizard";
import { RecentImports } from "@/components/imports/recent-imports";
import { Breadcrumbs, PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Import leads" };

export default function ImportLeadsPage() {
  return (
    <div className="space-y-6">
      <Breadcrumbs links={[{ href: "/leads", label: "← All leads" }]} />
      <PageHeader
        title="Import leads"
        description="Upload a CSV file, check how its columns map to lead fields, preview the first rows, and run it. Large files run in the background."
      />
      <ImportWizard />
      <RecentImports />
    </div>
  );
}
