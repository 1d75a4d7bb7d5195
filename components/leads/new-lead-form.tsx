"use client";

import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonPrimary, inputClass } from "@/components/ui/styles";
import { createLeadAction, type FieldErrors, type NewLeadValues } from "@/lib/leads/actions";

const EMPTY: NewLeadValues = { name: "", email: "", phone: "", company: "", value: "" };

/** Creates a lead with the same rules as POST /api/leads; on success the action opens the new lead. */
export function NewLeadForm({ currency }: { currency: string }) {
  const id = useId();
  const [values, setValues] = useState<NewLeadValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const set = (key: keyof NewLeadValues) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [key]: e.target.value }));

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      // On success the action redirects, so only failures come back.
      const result = await createLeadAction(values);
      if (!result) return;
      if (result.kind === "validation") {
        setErrors(result.fieldErrors);
        setFormError(result.formErrors.length > 0 ? result.formErrors.join(" ") : null);
      } else {
        setErrors({});
        setFormError(result.message);
      }
      toast.error("The lead was not created", { id: "new-lead-form" });
    });
  }

  const text = (key: keyof NewLeadValues, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => (
    <Field id={`${id}-${key}`} label={label} optional hint={hint} errors={errors[key]}>
      {(control) => <input {...control} {...props} name={key} value={values[key]} onChange={set(key)} className={inputClass(Boolean(errors[key]))} />}
    </Field>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-busy={pending}>
      {formError ? <FormAlert title={formError} /> : null}
      {text("name", "Name", { type: "text", autoComplete: "off", maxLength: 200 })}
      <div className="grid gap-5 sm:grid-cols-2">
        {text("email", "E-mail", { type: "email", autoComplete: "off" })}
        {text("phone", "Phone", { type: "tel", autoComplete: "off" }, "With a country code, or a local number.")}
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        {text("company", "Company", { type: "text", autoComplete: "off", maxLength: 200 })}
        {text("value", "Value", { type: "text", inputMode: "decimal", autoComplete: "off" }, `In ${currency}, e.g. 5000 or 5000.50.`)}
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonPrimary} disabled={pending}>
          {pending ? "Creating…" : "Create lead"}
        </button>
        <p role="status" aria-live="polite" className="text-sm text-slate-600">
          {pending ? "Creating the lead…" : ""}
        </p>
      </div>
    </form>
  );
}
