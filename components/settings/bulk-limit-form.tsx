"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError, apiRequest } from "@/components/api-client";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonSecondary, inputClass } from "@/components/ui/styles";
import type { OrganizationSettingsDto } from "@/lib/organizations/organizations";

/** The most leads one bulk PATCH may touch; saved with its own button, next to the bulk switch. */
export function BulkLimitForm({ current, onSaved }: { current: number; onSaved: (updated: OrganizationSettingsDto) => void }) {
  const id = useId();
  const [value, setValue] = useState(String(current));
  const [errors, setErrors] = useState<string[] | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (maxBulkMatches: number) => apiRequest<OrganizationSettingsDto>("PATCH", "/api/settings/organization", { maxBulkMatches }),
    onSuccess: (updated) => {
      onSaved(updated);
      setValue(String(updated.maxBulkMatches));
      toast.success(`Bulk updates may now touch up to ${updated.maxBulkMatches.toLocaleString("en-US")} leads`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "VALIDATION_ERROR") setErrors(error.fieldErrors().maxBulkMatches ?? [error.message]);
      else setFailure(error.message);
    },
  });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setErrors(undefined);
    setFailure(null);
    const parsed = Number(value.trim());
    // Sent as typed (when it is a number): the server's schema is the one that decides.
    if (value.trim() === "" || !Number.isFinite(parsed)) {
      setErrors(["must be a whole number"]);
      return;
    }
    save.mutate(parsed);
  }

  return (
    <form onSubmit={submit} className="mt-4 flex max-w-xl flex-wrap items-end gap-3" noValidate>
      <div className="w-56">
        <Field
          id={id}
          label="Maximum leads per bulk update"
          hint="A PATCH matching more leads than this is refused with 409 Conflict, and nothing changes."
          errors={errors}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={2}
              step={1}
              name="maxBulkMatches"
              className={inputClass(Boolean(errors))}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit" className={`${buttonSecondary} mb-6`} disabled={save.isPending} aria-busy={save.isPending || undefined}>
        {save.isPending ? "Saving…" : "Save maximum"}
      </button>
      {failure ? (
        <div className="basis-full">
          <FormAlert title="The maximum was not saved">{failure}</FormAlert>
        </div>
      ) : null}
    </form>
  );
}
