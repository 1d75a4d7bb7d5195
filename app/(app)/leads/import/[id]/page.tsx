import type { Metadata } from "next";
import type { Route } from "next";
import { notFound } from "next/navigation";
import { ImportProgress } from "@/components/imports/import-progress";
import { importIdParamsSchema } from "@/lib/imports/schemas";
import { Breadcrumbs, PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = importIdParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  return (
    <div className="space-y-6">
      <Breadcrumbs
        links={[
          { href: "/leads", label: "← All leads" },
          { href: "/leads/import" as Route, label: "Imports" },
        ]}
      />
      <PageHeader title="Import" />
      <ImportProgress importId={parsed.data.id} />
    </div>
  );
}
