"use client";

import { useEffect, useId, useRef, useState } from "react";
import { LossReasonPicker, type PickableReason } from "@/components/loss-reasons/loss-reason-picker";
import { buttonDanger, buttonSecondary } from "@/components/ui/styles";

/** Asks why a lead was lost before its card goes to the lost column. Cancel (or Escape) leaves the card where it was. */
export function LossReasonDialog({
  leadName,
  reasons,
  onConfirm,
  onCancel,
}: {
  leadName: string;
  reasons: PickableReason[];
  onConfirm: (lossReason: string) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const pickerId = useId();
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<string[] | undefined>();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) {
            setErrors(["is required: choose one, or pick Other and type it"]);
            return;
          }
          onConfirm(reason.trim());
        }}
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            Why was {leadName} lost?
          </h2>
          <LossReasonPicker id={pickerId} reasons={reasons} value={reason} onChange={(text) => { setReason(text); setErrors(undefined); }} errors={errors} required />
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
          <button type="button" className={buttonSecondary} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={buttonDanger}>
            Move to Lost
          </button>
        </div>
      </form>
    </dialog>
  );
}
