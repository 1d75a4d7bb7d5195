"use client";

import { ApiError } from "@/components/api-client";
import { FormAlert } from "@/components/ui/field";
import type { ImportMode } from "@/lib/imports/fields";
import { usePreview, type Mapping } from "./import-api";

const COLUMNS = [
  ["name", "Name"],
  ["email", "E-mail"],
  ["phone", "Phone"],
  ["company", "Company"],
  ["value", "Value"],
  ["status", "Status"],
] as const;

const ACTION_LABELS = { create: "Create", update: "Update", error: "Error" } as const;

/** The first 20 rows as they will be stored, and each row's errors (the API's messages). */
export function ImportPreview({ importId, mode, mapping }: { importId: string; mode: ImportMode; mapping: Mapping }) {
  const preview = usePreview(importId, mode, mapping);
  if (preview.isError) {
    return (
      <FormAlert title="The mapping cannot be used">
        {preview.error instanceof ApiError ? preview.error.message : "The preview could not be loaded."}
      </FormAlert>
    );
  }
  if (!preview.data) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading the preview…
      </p>
    );
  }
  const rows = preview.data.rows;
  const errors = rows.filter((r) => r.action === "error").length;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="preview-summary">
        First {rows.length} {rows.length === 1 ? "row" : "rows"}: {errors === 0 ? "no errors" : `${errors} with errors (they will be skipped and listed in the report)`}.
      </p>
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Preview of the first rows as they will be stored</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">Row</th>
              <th scope="col" className="px-3 py-2">Action</th>
              {COLUMNS.map(([key, label]) => (
                <th key={key} scope="col" className="px-3 py-2">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.rowNumber} data-testid="preview-row" className={row.action === "error" ? "bg-red-50" : undefined}>
                <td className="px-3 py-2 tabular-nums text-slate-700">{row.rowNumber}</td>
                <td className="px-3 py-2">
                  <span className={row.action === "error" ? "font-medium text-red-800" : "text-slate-800"}>{ACTION_LABELS[row.action]}</span>
                  {row.message ? <p className="mt-0.5 max-w-xs text-xs text-red-800">{row.message}</p> : null}
                </td>
                {COLUMNS.map(([key]) => (
                  <td key={key} className="px-3 py-2 text-slate-800">
                    {row.values[key] ?? <span className="text-slate-500">—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
