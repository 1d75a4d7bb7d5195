import { labelClass } from "./styles";

/**
 * A label, a control and its errors. The control gets the ids to put in aria-describedby through
 * a render prop, so the error is announced with the field and sits right next to it.
 */
export function Field({
  id,
  label,
  hint,
  errors,
  optional,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  optional?: boolean;
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => React.ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={labelClass}>
        {label}
        {optional ? <span className="ml-1 font-normal text-slate-600">(optional)</span> : null}
      </label>
      {children({ id, "aria-describedby": describedBy, ...(errorId ? { "aria-invalid": true as const } : {}) })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="text-sm text-red-700">
          {errors?.map((e) => `${label} ${e}`).join(". ")}
        </p>
      ) : null}
    </div>
  );
}

export function FormAlert({ tone = "error", title, children }: { tone?: "error" | "warning"; title: string; children?: React.ReactNode }) {
  const styles = tone === "error" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-950";
  return (
    <div role="alert" className={`rounded-md border p-3 text-sm ${styles}`}>
      <p className="font-semibold">{title}</p>
      {children ? <div className="mt-1">{children}</div> : null}
    </div>
  );
}
