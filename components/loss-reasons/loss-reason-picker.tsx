"use client";

import { useState } from "react";
import { inputClass, labelClass } from "@/components/ui/styles";
import { MAX_LOSS_REASON_LENGTH } from "@/lib/leads/normalize";
import { OTHER_LOSS_REASON, reasonKey } from "@/lib/loss-reasons/schemas";

export interface PickableReason {
  id: string;
  name: string;
}

const OTHER = "__other__";

/**
 * The managed loss reasons as a select, plus "Other" with a free-text box. Reports the text to
 * send as `lossReason`: a reason's name (the server links it by name) or the free text.
 */
export function LossReasonPicker({
  id,
  reasons,
  value,
  onChange,
  errors,
  required,
}: {
  id: string;
  reasons: PickableReason[];
  value: string;
  onChange: (text: string) => void;
  errors?: string[];
  required?: boolean;
}) {
  const matched = reasons.find((r) => reasonKey(r.name) === reasonKey(value));
  const [choice, setChoice] = useState(matched ? matched.id : value.trim() ? OTHER : "");
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;

  return (
    <div className="space-y-3">
      <div className="space-y-1.5">
        <label htmlFor={id} className={labelClass}>
          Loss reason{required ? null : <span className="ml-1 font-normal text-slate-600">(optional)</span>}
        </label>
        <select
          id={id}
          name="lossReasonChoice"
          value={choice}
          aria-describedby={errorId}
          aria-invalid={errorId ? true : undefined}
          required={required}
          className={inputClass(Boolean(errorId))}
          onChange={(e) => {
            const next = e.target.value;
            setChoice(next);
            if (next === OTHER) onChange("");
            else onChange(reasons.find((r) => r.id === next)?.name ?? "");
          }}
        >
          <option value="">Choose a reason…</option>
          {reasons.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
          <option value={OTHER}>{OTHER_LOSS_REASON}…</option>
        </select>
      </div>
      {choice === OTHER ? (
        <div className="space-y-1.5">
          <label htmlFor={`${id}-other`} className={labelClass}>
            Other reason
          </label>
          <input
            id={`${id}-other`}
            name="lossReason"
            type="text"
            maxLength={MAX_LOSS_REASON_LENGTH}
            value={value}
            required={required}
            aria-describedby={errorId}
            aria-invalid={errorId ? true : undefined}
            onChange={(e) => onChange(e.target.value)}
            className={inputClass(Boolean(errorId))}
          />
        </div>
      ) : null}
      {errorId ? (
        <p id={errorId} className="text-sm text-red-700">
          {errors?.map((e) => `Loss reason ${e}`).join(". ")}
        </p>
      ) : null}
    </div>
  );
}
