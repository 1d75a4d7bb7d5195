import type { Metadata } from "next";
import type { Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ImportProgress } from "@/components/imports/import-progress";
import { linkClass } from "@/components/ui/styles";
import { importIdParamsSchema } from "@/lib/imports/schemas";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = importIdParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="flex gap-4 text-sm">
        <Link href="/leads" className={linkClass}>
          ← All leads
        </Link>
        <Link href={"/leads/import" as Route} className={linkClass}>
          Imports
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">Import</h1>
      <ImportProgress importId={parsed.data.id} />
    </div>
  );
}
