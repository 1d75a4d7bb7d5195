import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

/** The interactive reference of the public API. Public: integrators read it before they have an account. */
export default function ApiReferencePage() {
  return (
    <div className="min-h-screen bg-white">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-6 py-3">
        <p className="text-sm">
          <Link href="/" prefetch={false} className="font-bold text-brand-700">
            Leadline
          </Link>{" "}
          <span className="text-slate-600">API reference</span>
        </p>
        <nav aria-label="API reference links" className="flex flex-wrap gap-4 text-sm">
          <Link href="/settings/api-keys" prefetch={false} className="font-medium text-brand-700 underline-offset-2 hover:underline">
            Your organization&apos;s API keys
          </Link>
          <a href="/api/openapi.json" className="text-slate-700 underline-offset-2 hover:underline">
            OpenAPI document (JSON)
          </a>
        </nav>
      </header>
      <main id="main">
        <ApiReference url="/api/openapi.json" />
      </main>
    </div>
  );
}
