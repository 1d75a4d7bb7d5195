"use client";

import { useId, useRef, type ReactNode } from "react";
import { toast } from "sonner";
import { buttonPrimary, buttonSecondary, inputClass } from "@/components/ui/styles";

/**
 * A secret shown once (a new API key, a webhook signing secret): a read-only field with a copy
 * button. When the clipboard is not available the value is selected, for Ctrl+C.
 */
export function OneTimeSecret({
  title,
  children,
  label,
  noun,
  value,
  onDone,
  testId,
}: {
  title: ReactNode;
  /** What to do with it, shown under the title. */
  children: ReactNode;
  /** The field's accessible name, e.g. "New API key". */
  label: string;
  /** "key" or "secret": in the button and the messages. */
  noun: string;
  value: string;
  onDone: () => void;
  testId: string;
}) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`${noun[0]!.toUpperCase()}${noun.slice(1)} copied to the clipboard`);
    } catch {
      inputRef.current?.select();
      toast.error(`Could not copy automatically: the ${noun} is selected, press Ctrl+C`);
    }
  }
  return (
    <div role="region" aria-labelledby={`${inputId}-title`} className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid={testId}>
      <h3 id={`${inputId}-title`} className="font-semibold text-amber-950">
        {title}
      </h3>
      <p className="mt-1 text-sm text-amber-950">{children}</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <label htmlFor={inputId} className="sr-only">
          {label}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          className={`${inputClass()} min-w-0 flex-1 font-mono`}
        />
        <button type="button" className={buttonPrimary} onClick={() => void copy()}>
          Copy {noun}
        </button>
        <button type="button" className={buttonSecondary} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
