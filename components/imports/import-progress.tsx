"use client";

import type { Route } from "next";
import Link from "next/link";
import { ApiError } from "@/components/api-client";
import { LocalTime } from "@/components/local-time";
import { buttonPrimary, buttonSecondary, cardClass } from "@/components/ui/styles";
import { useImportProgress } from "./import-api";

const STATUS_TEXT = {
  draft: "Not started",
  queued: "Waiting to start…",
  running: "Importing…",
  completed: "Finished",
  failed: "Stopped",
} as const;

/** Progress of a running import (polled; the page can be left and reopened), then its report. */
export function ImportProgress({ importId }: { importId: string }) {
  const query = useImportProgress(importId);
  if (query.isError && !query.data) {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-900">
        <p className="font-semibold">The import could not be loaded.</p>
        <p className="mt-1">{query.error instanceof ApiError ? query.error.message : "Check your connection and try again."}</p>
      </div>
    );
  }
  const data = query.data;
  if (!data) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading the import…
      </p>
    );
  }
  const percent = data.totalRows > 0 ? Math.floor((100 * data.processedRows) / data.totalRows) : 0;
  const done = data.status === "completed" || data.status === "failed";
  return (
    <div className="space-y-6">
      <section className={`${cardClass} space-y-4 p-6`} aria-labelledby="import-progress-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="import-progress-title" className="text-lg font-semibold">
            {data.fileName}
          </h2>
          <p className="text-sm text-slate-600">
            {data.mode === "update" ? "Update on e-mail match, create the rest" : "Create new leads"} · by {data.createdBy} ·{" "}
            <LocalTime iso={data.createdAt} mode="relative" />
          </p>
        </div>
        <p className="text-sm font-medium text-slate-800" data-testid="import-status" aria-live="polite">
          {STATUS_TEXT[data.status]}
        </p>
        <div
          role="progressbar"
          aria-label="Rows imported"
          aria-valuemin={0}
          aria-valuemax={data.totalRows}
          aria-valuenow={data.processedRows}
          aria-valuetext={`${data.processedRows} of ${data.totalRows} rows`}
          className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
        >
          <div className={`h-full rounded-full transition-all ${data.status === "failed" ? "bg-red-600" : "bg-brand-600"}`} style={{ width: `${percent}%` }} />
        </div>
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4" data-testid="import-counts">
          <Count label="Rows done" value={`${data.processedRows.toLocaleString("en-US")} of ${data.totalRows.toLocaleString("en-US")}`} />
          <Count label="Created" value={data.created.toLocaleString("en-US")} />
          <Count label="Updated" value={data.updated.toLocaleString("en-US")} />
          <Count label="Failed" value={data.failed.toLocaleString("en-US")} />
        </dl>
        {!done ? <p className="text-xs text-slate-600">The import runs on the server: you can leave this page and come back to it.</p> : null}
      </section>

      {done ? (
        <section className={`${cardClass} space-y-3 p-6`} aria-labelledby="import-report-title">
          <h2 id="import-report-title" className="text-lg font-semibold">
            Report
          </h2>
          {data.error ? (
            <p role="alert" className="text-sm text-red-800">
              {data.error}
            </p>
          ) : null}
          <p className="text-sm text-slate-700">
            {data.created.toLocaleString("en-US")} created, {data.updated.toLocaleString("en-US")} updated, {data.failed.toLocaleString("en-US")} failed.
            {data.failed > 0 ? " Download the failed rows, fix them, and import that file again: each row has its reason in the last column." : ""}
          </p>
          <div className="flex flex-wrap gap-3">
            {data.failed > 0 ? (
              <a href={data.links.failedRows} className={buttonPrimary} download>
                Download failed rows (CSV)
              </a>
            ) : null}
            <Link href="/leads" className={buttonSecondary}>
              Go to the leads
            </Link>
            <Link href={"/leads/import" as Route} className={buttonSecondary}>
              Import another file
            </Link>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function Count({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-600">{label}</dt>
      <dd className="text-base font-semibold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}
