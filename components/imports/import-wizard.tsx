"use client";

import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ApiError } from "@/components/api-client";
import { FormAlert } from "@/components/ui/field";
import { buttonPrimary, buttonSecondary, cardClass, inputClass, labelClass } from "@/components/ui/styles";
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, type ImportMode } from "@/lib/imports/fields";
import { startImport, uploadCsv, type ImportView, type Mapping } from "./import-api";
import { ImportPreview } from "./import-preview";

const MAX_MB = 50;

/** Upload → mapping and mode → preview → run. The run itself continues on the import's own page. */
export function ImportWizard() {
  const [draft, setDraft] = useState<ImportView | null>(null);
  return draft ? <MappingStep draft={draft} onCancel={() => setDraft(null)} /> : <UploadStep onUploaded={setDraft} />;
}

function UploadStep({ onUploaded }: { onUploaded: (draft: ImportView) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  const submit = async () => {
    if (!file) return setError("Choose a CSV file first.");
    if (file.size > MAX_MB * 1024 * 1024) return setError(`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_MB} MB.`);
    setUploading(true);
    setError(null);
    try {
      onUploaded(await uploadCsv(file));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The file could not be uploaded.");
    } finally {
      setUploading(false);
    }
  };

  return (
    <form
      className={`${cardClass} space-y-4 p-6`}
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        1. Upload a CSV file
      </h2>
      <div className="space-y-1.5">
        <label htmlFor={`${id}-file`} className={labelClass}>
          CSV file
        </label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
          }}
          className="block w-full text-sm text-slate-800 file:mr-4 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"
        />
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          Up to {MAX_MB} MB, UTF-8. The first line names the columns; commas, semicolons or tabs are detected.
        </p>
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className={buttonPrimary} disabled={uploading}>
        {uploading ? "Uploading…" : "Upload"}
      </button>
    </form>
  );
}

function MappingStep({ draft, onCancel }: { draft: ImportView; onCancel: () => void }) {
  const id = useId();
  const router = useRouter();
  const [mapping, setMapping] = useState<Mapping>(draft.suggestedMapping ?? draft.mapping);
  const [mode, setMode] = useState<ImportMode>("create");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const started = await startImport(draft.id, mode, mapping);
      router.push(`/leads/import/${started.id}` as Route);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The import could not be started.");
      setStarting(false);
    }
  };

  return (
    <div className="space-y-6">
      <section className={`${cardClass} space-y-4 p-6`} aria-labelledby={`${id}-map`}>
        <div>
          <h2 id={`${id}-map`} className="text-lg font-semibold">
            2. Map the columns
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            <span className="font-medium text-slate-800">{draft.fileName}</span>: {draft.totalRows.toLocaleString("en-US")}{" "}
            {draft.totalRows === 1 ? "row" : "rows"}. Recognised columns are already chosen; change any of them.
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          {IMPORT_FIELDS.map((field) => (
            <div key={field} className="space-y-1.5">
              <label htmlFor={`${id}-${field}`} className={labelClass}>
                {IMPORT_FIELD_LABELS[field]}
              </label>
              <select
                id={`${id}-${field}`}
                value={mapping[field] ?? ""}
                onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value === "" ? null : e.target.value }))}
                className={inputClass()}
              >
                <option value="">— Not imported —</option>
                {draft.headers.map((header) => (
                  <option key={header} value={header}>
                    {header}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
        <fieldset className="space-y-2">
          <legend className={labelClass}>Mode</legend>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="radio" name={`${id}-mode`} value="create" checked={mode === "create"} onChange={() => setMode("create")} />
            Create new leads
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input type="radio" name={`${id}-mode`} value="update" checked={mode === "update"} onChange={() => setMode("update")} />
            Update on e-mail match, create the rest
          </label>
          <p className="text-xs text-slate-600">
            Updates change status, value and loss reason through the same rules as the API, with a note naming this file. A file
            e-mail that matches several leads updates them only when bulk updates are allowed.
          </p>
        </fieldset>
      </section>

      <section className={`${cardClass} space-y-4 p-6`} aria-labelledby={`${id}-preview`}>
        <h2 id={`${id}-preview`} className="text-lg font-semibold">
          3. Preview
        </h2>
        <ImportPreview importId={draft.id} mode={mode} mapping={mapping} />
      </section>

      {error ? <FormAlert title="The import could not be started">{error}</FormAlert> : null}
      <div className="flex flex-wrap gap-3">
        <button type="button" className={buttonPrimary} disabled={starting} onClick={() => void start()}>
          {starting ? "Starting…" : `Import ${draft.totalRows.toLocaleString("en-US")} ${draft.totalRows === 1 ? "row" : "rows"}`}
        </button>
        <button type="button" className={buttonSecondary} onClick={onCancel} disabled={starting}>
          Choose another file
        </button>
      </div>
    </div>
  );
}
