"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError, apiRequest } from "@/components/api-client";
import { LocalTime } from "@/components/local-time";
import { BulkLimitForm } from "@/components/settings/bulk-limit-form";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonPrimary, cardClass, focusRing, inputClass } from "@/components/ui/styles";
import type { OrganizationSettingsDto } from "@/lib/organizations/organizations";

const QUERY_KEY = ["settings", "organization"] as const;

type SettingsChange = Partial<Pick<OrganizationSettingsDto, "allowBulkUpdates" | "defaultPhoneCountry" | "currency" | "apiRateLimitPerMinute">>;

export interface Option {
  value: string;
  label: string;
}

function LastChange({ settings }: { settings: OrganizationSettingsDto }) {
  if (!settings.settingsUpdatedAt) return <p className="text-sm text-slate-600">These settings have not been changed yet.</p>;
  return (
    <p className="text-sm text-slate-600" data-testid="settings-last-change">
      Last changed by {settings.settingsUpdatedBy?.name ?? "the admin CLI"} on <LocalTime iso={settings.settingsUpdatedAt} />.
    </p>
  );
}

/** The organization's settings: the bulk-update switch saves at once; region settings save with their form. */
export function OrganizationSettings({
  initial,
  countries,
  currencies,
}: {
  initial: OrganizationSettingsDto;
  countries: Option[];
  currencies: Option[];
}) {
  const queryClient = useQueryClient();
  const ids = { bulk: useId(), bulkHint: useId(), country: useId(), currency: useId(), rateLimit: useId() };
  const { data: settings } = useQuery({
    queryKey: QUERY_KEY,
    queryFn: ({ signal }) => apiRequest<OrganizationSettingsDto>("GET", "/api/settings/organization", undefined, signal),
    initialData: initial,
  });
  const save = useMutation({
    mutationFn: (change: SettingsChange) => apiRequest<OrganizationSettingsDto>("PATCH", "/api/settings/organization", change),
    onSuccess: (updated) => queryClient.setQueryData(QUERY_KEY, updated),
  });

  const [region, setRegion] = useState({ defaultPhoneCountry: settings.defaultPhoneCountry, currency: settings.currency });
  const [regionErrors, setRegionErrors] = useState<Partial<Record<string, string[]>>>({});
  const [regionMessage, setRegionMessage] = useState<string | null>(null);
  const [rateLimit, setRateLimit] = useState(String(settings.apiRateLimitPerMinute));
  const [rateLimitErrors, setRateLimitErrors] = useState<string[] | undefined>(undefined);
  const bulkPending = save.isPending && save.variables?.allowBulkUpdates !== undefined;
  const rateLimitPending = save.isPending && save.variables?.apiRateLimitPerMinute !== undefined;
  const regionPending = save.isPending && (save.variables?.defaultPhoneCountry !== undefined || save.variables?.currency !== undefined);

  function toggleBulk() {
    const next = !settings.allowBulkUpdates;
    save.mutate(
      { allowBulkUpdates: next },
      {
        onSuccess: () => toast.success(next ? "Bulk updates are on" : "Bulk updates are off"),
        onError: (error) => toast.error(error.message),
      },
    );
  }

  function saveRateLimit(event: React.FormEvent) {
    event.preventDefault();
    setRateLimitErrors(undefined);
    const value = Number(rateLimit.trim());
    save.mutate(
      { apiRateLimitPerMinute: rateLimit.trim() === "" || Number.isNaN(value) ? Number.NaN : value },
      {
        onSuccess: (updated) => {
          setRateLimit(String(updated.apiRateLimitPerMinute));
          toast.success("API rate limit saved");
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === "VALIDATION_ERROR") setRateLimitErrors(error.fieldErrors().apiRateLimitPerMinute ?? [error.message]);
          else setRateLimitErrors([error.message]);
        },
      },
    );
  }

  function saveRegion(event: React.FormEvent) {
    event.preventDefault();
    setRegionErrors({});
    setRegionMessage(null);
    save.mutate(region, {
      onSuccess: () => toast.success("Settings saved"),
      onError: (error) => {
        if (error instanceof ApiError && error.code === "VALIDATION_ERROR") setRegionErrors(error.fieldErrors());
        else setRegionMessage(error.message);
      },
    });
  }

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${ids.bulk}-heading`} className={`${cardClass} p-5`}>
        <h2 id={`${ids.bulk}-heading`} className="text-base font-semibold text-slate-900">
          Leads API
        </h2>
        <div className="mt-4 flex items-start justify-between gap-6">
          <div>
            <p id={ids.bulk} className="text-sm font-medium text-slate-900">
              Allow bulk updates
            </p>
            <p id={ids.bulkHint} className="mt-1 max-w-xl text-sm text-slate-600">
              When this is on, a PATCH /api/leads whose e-mail or phone matches several leads updates all of them; when it
              is off, that request is refused with 409 Conflict and nothing changes.
            </p>
          </div>
          <button
            type="button"
            role="switch"
            aria-checked={settings.allowBulkUpdates}
            aria-labelledby={ids.bulk}
            aria-describedby={ids.bulkHint}
            aria-busy={bulkPending || undefined}
            disabled={bulkPending}
            onClick={toggleBulk}
            className={`relative inline-flex h-7 w-12 shrink-0 items-center rounded-full transition-colors disabled:opacity-60 ${focusRing} ${
              settings.allowBulkUpdates ? "bg-brand-600" : "bg-slate-400"
            }`}
          >
            <span
              aria-hidden="true"
              className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${settings.allowBulkUpdates ? "translate-x-6" : "translate-x-1"}`}
            />
          </button>
        </div>
        <p className="mt-3 text-sm font-medium text-slate-800" aria-live="polite">
          {settings.allowBulkUpdates ? "On: matching leads are all updated." : "Off: several matches get 409 Conflict."}
        </p>
        <BulkLimitForm current={settings.maxBulkMatches} onSaved={(updated) => queryClient.setQueryData(QUERY_KEY, updated)} />
        <form onSubmit={saveRateLimit} className="mt-6 flex max-w-xl flex-wrap items-end gap-4" noValidate>
          <div className="min-w-56 flex-1">
            <Field
              id={ids.rateLimit}
              label="Requests per minute per API key"
              hint="Over this, a key gets 429 Too Many Requests until the minute is over."
              errors={rateLimitErrors}
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  step={1}
                  className={inputClass(Boolean(rateLimitErrors))}
                  value={rateLimit}
                  onChange={(e) => setRateLimit(e.target.value)}
                />
              )}
            </Field>
          </div>
          <button type="submit" className={buttonPrimary} disabled={rateLimitPending} aria-busy={rateLimitPending || undefined}>
            {rateLimitPending ? "Saving…" : "Save limit"}
          </button>
        </form>
      </section>

      <section aria-labelledby={`${ids.country}-heading`} className={`${cardClass} p-5`}>
        <h2 id={`${ids.country}-heading`} className="text-base font-semibold text-slate-900">
          Region
        </h2>
        <form onSubmit={saveRegion} className="mt-4 grid max-w-xl gap-4 sm:grid-cols-2" noValidate>
          <Field
            id={ids.country}
            label="Default phone country"
            hint="Used for phone numbers written without a country code."
            errors={regionErrors.defaultPhoneCountry}
          >
            {(control) => (
              <select
                {...control}
                className={inputClass(Boolean(regionErrors.defaultPhoneCountry))}
                value={region.defaultPhoneCountry}
                onChange={(e) => setRegion((r) => ({ ...r, defaultPhoneCountry: e.target.value }))}
              >
                {countries.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={ids.currency} label="Currency" hint="For the value of new leads." errors={regionErrors.currency}>
            {(control) => (
              <select
                {...control}
                className={inputClass(Boolean(regionErrors.currency))}
                value={region.currency}
                onChange={(e) => setRegion((r) => ({ ...r, currency: e.target.value }))}
              >
                {currencies.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {regionMessage ? (
            <div className="sm:col-span-2">
              <FormAlert title="The settings were not saved">{regionMessage}</FormAlert>
            </div>
          ) : null}
          <div className="sm:col-span-2">
            <button type="submit" className={buttonPrimary} disabled={regionPending} aria-busy={regionPending || undefined}>
              {regionPending ? "Saving…" : "Save region"}
            </button>
          </div>
        </form>
      </section>

      <LastChange settings={settings} />
    </div>
  );
}
