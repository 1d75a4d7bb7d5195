"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError, apiRequest } from "@/components/api-client";
import { LocalTime } from "@/components/local-time";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { OneTimeSecret } from "./one-time-secret";
import { buttonDanger, buttonPrimary, buttonSecondary, cardClass, inputClass } from "@/components/ui/styles";
import type { ApiKeyDto } from "@/lib/api-keys/api-keys";

const QUERY_KEY = ["settings", "api-keys"] as const;

/** Lists the organization's keys; creates one (shown once, with a copy button) and revokes one after a confirmation. */
export function ApiKeysManager({ initial }: { initial: ApiKeyDto[] }) {
  const queryClient = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState("");
  const [nameErrors, setNameErrors] = useState<string[] | undefined>();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);

  const { data: keys } = useQuery({
    queryKey: QUERY_KEY,
    queryFn: ({ signal }) => apiRequest<ApiKeyDto[]>("GET", "/api/settings/api-keys", undefined, signal),
    initialData: initial,
  });
  const create = useMutation({
    mutationFn: (keyName: string) => apiRequest<{ apiKey: ApiKeyDto; key: string }>("POST", "/api/settings/api-keys", { name: keyName }),
    onSuccess: ({ apiKey, key }) => {
      setCreated({ name: apiKey.name, key });
      setName("");
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "VALIDATION_ERROR") setNameErrors(error.fieldErrors().name ?? [error.message]);
      else setNameErrors([error.message]);
    },
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKeyDto) => apiRequest<ApiKeyDto>("POST", `/api/settings/api-keys/${key.id}/revoke`),
    onSuccess: (key) => {
      toast.success(`API key “${key.name}” revoked`);
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => toast.error(error.message),
  });

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${nameId}-heading`} className={`${cardClass} space-y-4 p-5`}>
        <h2 id={`${nameId}-heading`} className="text-base font-semibold text-slate-900">
          Create an API key
        </h2>
        <form
          noValidate
          className="flex flex-wrap items-start gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            setNameErrors(undefined);
            setCreated(null);
            create.mutate(name);
          }}
        >
          <div className="min-w-64 flex-1">
            <Field id={nameId} label="Name" hint="Where the key is used, e.g. “Website form” or “Call tracker”." errors={nameErrors}>
              {(control) => (
                <input {...control} className={inputClass(Boolean(nameErrors))} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="off" />
              )}
            </Field>
          </div>
          <button type="submit" className={`${buttonPrimary} mt-7`} disabled={create.isPending} aria-busy={create.isPending || undefined}>
            {create.isPending ? "Creating…" : "Create key"}
          </button>
        </form>
        {created ? (
          <OneTimeSecret title={`API key “${created.name}” created`} label="New API key" noun="key" value={created.key} onDone={() => setCreated(null)} testId="new-api-key">
            <strong>Copy it now: it will not be shown again.</strong> Leadline keeps only a hash of it.
          </OneTimeSecret>
        ) : null}
      </section>

      <section aria-labelledby={`${nameId}-list`} className={cardClass}>
        <h2 id={`${nameId}-list`} className="border-b border-slate-200 px-5 py-4 text-base font-semibold text-slate-900">
          Keys
        </h2>
        {keys.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-600">No API keys yet. Create one above to connect a form, a call tracker or an automation tool.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-slate-700">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">Name</th>
                  <th scope="col" className="px-5 py-2 font-medium">Key</th>
                  <th scope="col" className="px-5 py-2 font-medium">Created</th>
                  <th scope="col" className="px-5 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-5 py-2 font-medium">Status</th>
                  <th scope="col" className="px-5 py-2 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((key) => (
                  <tr key={key.id} data-testid={`api-key-row-${key.name}`}>
                    <th scope="row" className="px-5 py-3 text-left font-medium text-slate-900">{key.name}</th>
                    <td className="px-5 py-3 font-mono text-slate-700">ll_…{key.suffix}</td>
                    <td className="px-5 py-3 text-slate-700">
                      <LocalTime iso={key.createdAt} /> <span className="text-slate-600">by {key.createdBy?.name ?? "the admin CLI"}</span>
                    </td>
                    <td className="px-5 py-3 text-slate-700">{key.lastUsedAt ? <LocalTime iso={key.lastUsedAt} mode="relative" /> : "Never"}</td>
                    <td className="px-5 py-3">
                      {key.revokedAt ? (
                        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                          Revoked <LocalTime iso={key.revokedAt} />
                        </span>
                      ) : (
                        <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
                      )}
                    </td>
                    <td className="px-5 py-3 text-right">
                      {key.revokedAt ? null : (
                        <button type="button" className={buttonSecondary} onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke API key “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke key"
        confirmClassName={buttonDanger}
        pending={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        Every request with this key will be refused from now on (401). This cannot be undone: systems using it need a new key.
      </ConfirmDialog>
    </div>
  );
}
