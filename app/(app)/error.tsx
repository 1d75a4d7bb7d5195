"use client";

import Link from "next/link";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";

/** Anything a page of the app throws unexpectedly: say so plainly and offer a way on. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">The page could not be loaded. Try again; if it keeps failing, tell your admin.</p>
      {error.digest ? <p className="mt-2 text-xs text-slate-600">Reference: {error.digest}</p> : null}
      <div className="mt-6 flex justify-center gap-3">
        <button type="button" className={buttonPrimary} onClick={reset}>
          Try again
        </button>
        <Link href="/leads" className={buttonSecondary}>
          Go to leads
        </Link>
      </div>
    </div>
  );
}
