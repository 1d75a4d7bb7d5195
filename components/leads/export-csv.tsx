"use client";

import { useId, useState } from "react";
import { buttonSecondary } from "@/components/ui/styles";
import { viewToQuery, type LeadsView } from "./leads-query";

/** "Export CSV" of exactly the list's current view (search, filter, sort), optionally with a BOM for Excel. */
export function ExportCsv({ view }: { view: LeadsView }) {
  const id = useId();
  const [bom, setBom] = useState(false);
  const params = new URLSearchParams(viewToQuery({ ...view, page: 1 }));
  if (bom) params.set("bom", "1");
  const query = params.toString();
  return (
    <div className="flex items-center gap-3 text-sm">
      <label htmlFor={`${id}-bom`} className="flex items-center gap-1.5 text-slate-700">
        <input id={`${id}-bom`} type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
        For Excel (BOM)
      </label>
      <a href={`/api/app/leads/export${query ? `?${query}` : ""}`} download className={buttonSecondary}>
        Export CSV
      </a>
    </div>
  );
}
