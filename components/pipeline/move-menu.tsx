"use client";

import { useEffect, useId, useRef, useState } from "react";
import { STATUS_LABELS } from "@/components/format";
import { focusRing } from "@/components/ui/styles";
import { LEAD_STATUSES, type LeadStatusValue } from "@/lib/leads/normalize";

/**
 * The keyboard way to move a card: a "Move to…" button that opens the other columns as buttons.
 * Focus goes to the first one; Escape closes the list and returns focus to the button.
 */
export function MoveMenu({ leadName, status, disabled, onMove }: { leadName: string; status: LeadStatusValue; disabled?: boolean; onMove: (to: LeadStatusValue) => void }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const targets = LEAD_STATUSES.filter((s) => s !== status);

  useEffect(() => {
    if (open) listRef.current?.querySelector("button")?.focus();
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  return (
    <div
      className="relative shrink-0"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          close(true);
        }
      }}
      onBlur={(e) => {
        if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
        className={`whitespace-nowrap rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60 ${focusRing}`}
      >
        Move to…<span className="sr-only"> {leadName}</span>
      </button>
      {open ? (
        <ul
          ref={listRef}
          id={menuId}
          aria-label={`Move ${leadName} to`}
          className="absolute right-0 z-20 mt-1 w-36 rounded-md border border-slate-200 bg-white py-1 shadow-lg"
          onKeyDown={(e) => {
            if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
            e.preventDefault();
            const items = [...(listRef.current?.querySelectorAll("button") ?? [])];
            const at = items.indexOf(document.activeElement as HTMLButtonElement);
            items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
          }}
        >
          {targets.map((to) => (
            <li key={to}>
              <button
                type="button"
                className={`block w-full px-3 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 ${focusRing}`}
                onClick={() => {
                  close(true);
                  onMove(to);
                }}
              >
                {STATUS_LABELS[to]}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
