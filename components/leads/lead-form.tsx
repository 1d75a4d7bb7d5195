"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { FIELD_LABELS, formatMoney, STATUS_LABELS } from "@/components/format";
import { LossReasonPicker, type PickableReason } from "@/components/loss-reasons/loss-reason-picker";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonPrimary, inputClass } from "@/components/ui/styles";
import { updateLeadAction, type FieldErrors } from "@/lib/leads/actions";
import { LeadStatus } from "@/lib/generated/prisma/enums";
import type { LeadDto } from "@/lib/leads/serialize";

interface FormFields {
  status: LeadStatus;
  value: string;
  lossReason: string;
}

interface FieldDifference {
  field: keyof FormFields;
  from: string;
  to: string;
}

function fieldsOf(lead: LeadDto): FormFields {
  return { status: lead.status, value: lead.value === null ? "" : String(lead.value), lossReason: lead.lossReason ?? "" };
}

function display(field: keyof FormFields, value: string, currency: string): string {
  if (value.trim() === "") return "none";
  if (field === "status") return STATUS_LABELS[value as LeadStatus] ?? value;
  if (field === "value" && !Number.isNaN(Number(value))) return formatMoney(Number(value), currency);
  return value;
}

function differences(before: FormFields, after: FormFields, currency: string): FieldDifference[] {
  const fields: (keyof FormFields)[] = ["status", "value", "lossReason"];
  return fields
    .filter((f) => (f === "value" ? Number(before[f] || "NaN") !== Number(after[f] || "NaN") && before[f].trim() !== after[f].trim() : before[f].trim() !== after[f].trim()))
    .map((f) => ({ field: f, from: display(f, before[f], currency), to: display(f, after[f], currency) }));
}

interface Conflict {
  theirs: FieldDifference[];
  yours: FieldDifference[];
}

/**
 * Changes status, value and loss reason, and adds a note, through the same service as
 * PATCH /api/leads. The form sends the version it was loaded at; when the lead changed in the
 * meantime the save is refused, the form shows what changed and reloads the lead's current values,
 * and the typed note stays in its field.
 */
export function LeadForm({ lead, lossReasons }: { lead: LeadDto; lossReasons: PickableReason[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [base, setBase] = useState<LeadDto>(lead);
  const [fields, setFields] = useState<FormFields>(() => fieldsOf(lead));
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const dirty = differences(fieldsOf(base), fields, base.currency).length > 0 || note.trim() !== "";

  // A newer lead from the server (after a save or a refresh) replaces an untouched form.
  const [syncedVersion, setSyncedVersion] = useState(lead.version);
  if (lead.version !== syncedVersion) {
    setSyncedVersion(lead.version);
    if (lead.version > base.version && !dirty) {
      setBase(lead);
      setFields(fieldsOf(lead));
    }
  }

  const set = <K extends keyof FormFields>(key: K, value: FormFields[K]) => setFields((f) => ({ ...f, [key]: value }));

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitted = fields;
    const submittedBase = base;
    startTransition(async () => {
      const result = await updateLeadAction({
        leadId: submittedBase.id,
        expectedVersion: submittedBase.version,
        status: submitted.status,
        value: submitted.value,
        lossReason: submitted.status === "lost" ? submitted.lossReason : "",
        note,
      }).catch(() => ({ ok: false as const, kind: "error" as const, message: "The lead could not be saved. Check your connection and try again." }));

      if (result.ok) {
        setErrors({});
        setFormError(null);
        setConflict(null);
        setBase(result.lead);
        setSyncedVersion(result.lead.version);
        setFields(fieldsOf(result.lead));
        setNote("");
        toast.success(result.message, { id: `lead-form-${submittedBase.id}` });
        void queryClient.invalidateQueries({ queryKey: ["leads"] });
        return;
      }
      switch (result.kind) {
        case "validation":
          setErrors(result.fieldErrors);
          setFormError(result.formErrors.length > 0 ? result.formErrors.join(" ") : null);
          setConflict(null);
          toast.error("Not saved: check the highlighted fields", { id: `lead-form-${submittedBase.id}` });
          break;
        case "conflict": {
          const current = result.lead;
          setConflict({
            theirs: differences(fieldsOf(submittedBase), fieldsOf(current), current.currency),
            yours: differences(fieldsOf(submittedBase), submitted, current.currency),
          });
          setErrors({});
          setFormError(null);
          setBase(current);
          setSyncedVersion(current.version);
          setFields(fieldsOf(current));
          toast.error("Not saved: someone else changed this lead", { id: `lead-form-${submittedBase.id}` });
          router.refresh();
          requestAnimationFrame(() => alertRef.current?.focus());
          break;
        }
        default:
          setFormError(result.message);
          toast.error(result.message, { id: `lead-form-${submittedBase.id}` });
      }
    });
  }

  const errorsFor = (field: string) => errors[field];

  return (
    <form onSubmit={onSubmit} className="mt-4 space-y-5" noValidate aria-busy={pending}>
      {conflict ? (
        <div ref={alertRef} tabIndex={-1} className="focus:outline-none" data-testid="conflict-alert">
          <FormAlert tone="warning" title="This lead was changed by someone else since you opened it. Your changes were not saved.">
            {conflict.theirs.length > 0 ? (
              <>
                <p>What changed:</p>
                <ul className="ml-5 list-disc">
                  {conflict.theirs.map((d) => (
                    <li key={d.field}>
                      {FIELD_LABELS[d.field]}: {d.from} → {d.to}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>A note or another field was added; see the timeline.</p>
            )}
            {conflict.yours.length > 0 ? (
              <>
                <p className="mt-2">Your changes, not applied:</p>
                <ul className="ml-5 list-disc">
                  {conflict.yours.map((d) => (
                    <li key={d.field}>
                      {FIELD_LABELS[d.field]}: {d.to}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p className="mt-2">The form now shows the current values{note.trim() ? " and keeps your note" : ""}. Review them and save again.</p>
          </FormAlert>
        </div>
      ) : null}
      {formError ? <FormAlert title={formError} /> : null}

      <div className="grid gap-5 sm:grid-cols-2">
        <Field id={`${id}-status`} label="Status" errors={errorsFor("status")}>
          {(control) => (
            <select {...control} name="status" value={fields.status} onChange={(e) => set("status", e.target.value as LeadStatus)} className={inputClass(Boolean(errorsFor("status")))}>
              {Object.values(LeadStatus).map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>

        <Field id={`${id}-value`} label="Value" hint={`In ${base.currency}, e.g. 5000 or 5000.50. Leave empty for no value.`} errors={errorsFor("value")}>
          {(control) => (
            <input
              {...control}
              name="value"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={fields.value}
              onChange={(e) => set("value", e.target.value)}
              className={inputClass(Boolean(errorsFor("value")))}
            />
          )}
        </Field>
      </div>

      {fields.status === "lost" ? (
        <LossReasonPicker
          key={base.version}
          id={`${id}-loss-reason`}
          reasons={lossReasons}
          value={fields.lossReason}
          onChange={(text) => set("lossReason", text)}
          errors={errorsFor("lossReason")}
        />
      ) : null}

      <Field id={`${id}-note`} label="Add a note" optional errors={errorsFor("note")}>
        {(control) => (
          <textarea
            {...control}
            name="note"
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="What happened? Next steps?"
            className={inputClass(Boolean(errorsFor("note")))}
          />
        )}
      </Field>

      <div className="flex items-center gap-3">
        <button type="submit" className={buttonPrimary} disabled={pending}>
          {pending ? (
            <>
              <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-white/40 border-t-white" />
              Saving…
            </>
          ) : (
            "Save changes"
          )}
        </button>
        <p role="status" aria-live="polite" className="text-sm text-slate-600">
          {pending ? "Saving your changes…" : dirty ? "Unsaved changes" : ""}
        </p>
      </div>
    </form>
  );
}
