"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/api-client";
import { Field } from "@/components/ui/field";
import { buttonGhost, buttonPrimary, buttonSecondary, cardClass, inputClass } from "@/components/ui/styles";
import type { LossReasonDto } from "@/lib/loss-reasons/loss-reasons";
import { MAX_LOSS_REASON_NAME_LENGTH } from "@/lib/loss-reasons/schemas";
import { addLossReason, fetchLossReasons, LOSS_REASONS_KEY, patchLossReason, putLossReasonOrder } from "./loss-reasons-query";

function errorsOf(error: unknown): string[] {
  if (error instanceof ApiError && error.code === "VALIDATION_ERROR") {
    const fields = error.fieldErrors();
    return fields.name ?? fields[""] ?? [error.message];
  }
  return [error instanceof Error ? error.message : "Something went wrong"];
}

function RenameForm({ reason, onDone }: { reason: LossReasonDto; onDone: () => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState(reason.name);
  const [errors, setErrors] = useState<string[] | undefined>();
  const rename = useMutation({
    mutationFn: () => patchLossReason(reason.id, { name }),
    onSuccess: (updated) => {
      toast.success(`Renamed to “${updated.name}”`);
      void queryClient.invalidateQueries({ queryKey: LOSS_REASONS_KEY });
      onDone();
    },
    onError: (error) => setErrors(errorsOf(error)),
  });
  return (
    <form
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate();
      }}
    >
      <div className="min-w-48 flex-1">
        <Field id={id} label={`New name for “${reason.name}”`} errors={errors}>
          {(control) => (
            <input {...control} autoFocus className={inputClass(Boolean(errors))} value={name} maxLength={MAX_LOSS_REASON_NAME_LENGTH} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="mt-7 flex gap-2">
        <button type="submit" className={buttonPrimary} disabled={rename.isPending}>
          Save
        </button>
        <button type="button" className={buttonSecondary} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The organization's loss reasons: add, rename, reorder (move up/down) and archive or restore.
 * Renaming changes the label of the list and the chart; leads keep the text they were given.
 */
export function LossReasonsManager({ initial }: { initial: LossReasonDto[] }) {
  const queryClient = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const [nameErrors, setNameErrors] = useState<string[] | undefined>();
  const [renaming, setRenaming] = useState<string | null>(null);

  const { data: reasons } = useQuery({ queryKey: LOSS_REASONS_KEY, queryFn: ({ signal }) => fetchLossReasons(signal), initialData: initial });
  const refresh = () => queryClient.invalidateQueries({ queryKey: LOSS_REASONS_KEY });

  const add = useMutation({
    mutationFn: addLossReason,
    onSuccess: (reason) => {
      toast.success(`Loss reason “${reason.name}” added`);
      setName("");
      void refresh();
    },
    onError: (error) => setNameErrors(errorsOf(error)),
  });
  const archive = useMutation({
    mutationFn: (reason: LossReasonDto) => patchLossReason(reason.id, { archived: !reason.archived }),
    onSuccess: (reason) => {
      toast.success(reason.archived ? `“${reason.name}” archived: it is no longer offered` : `“${reason.name}” restored`);
      void refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  const reorder = useMutation({
    mutationFn: putLossReasonOrder,
    onMutate: async (ids) => {
      await queryClient.cancelQueries({ queryKey: LOSS_REASONS_KEY });
      const previous = queryClient.getQueryData<LossReasonDto[]>(LOSS_REASONS_KEY);
      if (previous) queryClient.setQueryData(LOSS_REASONS_KEY, ids.map((id) => previous.find((r) => r.id === id)).filter((r): r is LossReasonDto => Boolean(r)));
      return { previous };
    },
    onError: (error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(LOSS_REASONS_KEY, context.previous);
      toast.error(`Order not saved: ${error.message}`);
    },
    onSettled: () => void refresh(),
  });

  function move(index: number, by: -1 | 1) {
    const ids = reasons.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    if (!moved) return;
    ids.splice(index + by, 0, moved);
    reorder.mutate(ids);
  }

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${nameId}-heading`} className={`${cardClass} space-y-4 p-5`}>
        <h2 id={`${nameId}-heading`} className="text-base font-semibold text-slate-900">
          Add a loss reason
        </h2>
        <p className="text-sm text-slate-600">
          The lead form and the pipeline offer these reasons, plus “Other” with free text. API clients may keep sending free text: a text that matches a reason
          (ignoring case and spaces) is linked to it.
        </p>
        <form
          noValidate
          className="flex flex-wrap items-start gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            setNameErrors(undefined);
            add.mutate(name);
          }}
        >
          <div className="min-w-64 flex-1">
            <Field id={nameId} label="Reason" hint="e.g. “Too expensive” or “Chose a competitor”." errors={nameErrors}>
              {(control) => (
                <input {...control} className={inputClass(Boolean(nameErrors))} value={name} maxLength={MAX_LOSS_REASON_NAME_LENGTH} onChange={(e) => setName(e.target.value)} autoComplete="off" />
              )}
            </Field>
          </div>
          <button type="submit" className={`${buttonPrimary} mt-7`} disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add reason"}
          </button>
        </form>
      </section>

      <section aria-labelledby={`${nameId}-list`} className={cardClass}>
        <h2 id={`${nameId}-list`} className="border-b border-slate-200 px-5 py-4 text-base font-semibold text-slate-900">
          Loss reasons
        </h2>
        {reasons.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-600">No loss reasons yet: every lost lead counts as “Other”. Add the reasons your team hears most.</p>
        ) : (
          <ol className="divide-y divide-slate-100" aria-busy={reorder.isPending || undefined}>
            {reasons.map((reason, index) => (
              <li key={reason.id} className="px-5 py-3" data-testid={`loss-reason-${reason.name}`}>
                {renaming === reason.id ? (
                  <RenameForm reason={reason} onDone={() => setRenaming(null)} />
                ) : (
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="min-w-0 flex-1 font-medium text-slate-900">
                      {reason.name}
                      {reason.archived ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-700">Archived</span> : null}
                    </span>
                    <button type="button" className={buttonGhost} disabled={index === 0 || reorder.isPending} onClick={() => move(index, -1)} aria-label={`Move “${reason.name}” up`}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className={buttonGhost}
                      disabled={index === reasons.length - 1 || reorder.isPending}
                      onClick={() => move(index, 1)}
                      aria-label={`Move “${reason.name}” down`}
                    >
                      ↓
                    </button>
                    <button type="button" className={buttonSecondary} onClick={() => setRenaming(reason.id)} aria-label={`Rename “${reason.name}”`}>
                      Rename
                    </button>
                    <button type="button" className={buttonSecondary} disabled={archive.isPending} onClick={() => archive.mutate(reason)} aria-label={`${reason.archived ? "Restore" : "Archive"} “${reason.name}”`}>
                      {reason.archived ? "Restore" : "Archive"}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
