"use client";

import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/api-client";
import { LocalTime } from "@/components/local-time";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { OneTimeSecret } from "./one-time-secret";
import { buttonDanger, buttonPrimary, buttonSecondary, cardClass, inputClass, labelClass } from "@/components/ui/styles";
import type { LeadStatusValue } from "@/lib/leads/normalize";
import type { WebhookEndpointDto } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/events";
import {
  useCreateEndpoint,
  useDeleteEndpoint,
  useDeliveries,
  useReplay,
  useRotateSecret,
  useSendTest,
  useUpdateEndpoint,
  useWebhookEndpoints,
} from "./use-webhooks";

const STATUSES: LeadStatusValue[] = ["open", "qualified", "won", "lost"];

function AddEndpointForm({ onCreated }: { onCreated: (secret: string, url: string) => void }) {
  const id = useId();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const [statuses, setStatuses] = useState<LeadStatusValue[]>([]);
  const [errors, setErrors] = useState<Partial<Record<string, string[]>>>({});
  const create = useCreateEndpoint();
  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setErrors({});
        create.mutate(
          { url, description, events, statuses },
          {
            onSuccess: ({ endpoint, secret }) => {
              onCreated(secret, endpoint.url);
              setUrl("");
              setDescription("");
            },
            onError: (error) => setErrors(error instanceof ApiError && error.code === "VALIDATION_ERROR" ? error.fieldErrors() : { url: [error.message] }),
          },
        );
      }}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Field id={`${id}-url`} label="URL" hint="An https:// address that accepts POST requests." errors={errors.url}>
          {(control) => (
            <input {...control} type="url" className={inputClass(Boolean(errors.url))} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/leadline" autoComplete="off" />
          )}
        </Field>
        <Field id={`${id}-description`} label="Description" optional errors={errors.description}>
          {(control) => (
            <input {...control} className={inputClass(Boolean(errors.description))} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" />
          )}
        </Field>
      </div>
      <fieldset aria-describedby={errors.events ? `${id}-events-error` : undefined}>
        <legend className={labelClass}>Events</legend>
        <div className="mt-2 grid gap-2 md:grid-cols-2">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" className="mt-0.5" checked={events.includes(type)} onChange={() => setEvents(toggle(events, type))} />
              <span>
                <span className="font-mono">{type}</span>
                <span className="block text-xs text-slate-600">{WEBHOOK_EVENT_DESCRIPTIONS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.events ? <p id={`${id}-events-error`} className="mt-1 text-sm text-red-700">Events {errors.events.join(". ")}</p> : null}
      </fieldset>
      {events.includes("lead.status_changed") ? (
        <fieldset>
          <legend className={labelClass}>lead.status_changed: only these statuses <span className="font-normal text-slate-600">(none ticked: every status)</span></legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {STATUSES.map((status) => (
              <label key={status} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" checked={statuses.includes(status)} onChange={() => setStatuses(toggle(statuses, status))} />
                {status}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <button type="submit" className={buttonPrimary} disabled={create.isPending} aria-busy={create.isPending || undefined}>
        {create.isPending ? "Adding…" : "Add endpoint"}
      </button>
    </form>
  );
}

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpointDto }) {
  const [page, setPage] = useState(1);
  const { data, isPending, isError, error } = useDeliveries(endpoint.id, page);
  const replay = useReplay();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="mt-4 rounded-md border border-slate-200" data-testid="delivery-log">
      <h4 id={headingId} className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-900">Delivery log (newest first)</h4>
      {isPending ? (
        <p className="px-4 py-3 text-sm text-slate-600" role="status">Loading deliveries…</p>
      ) : isError ? (
        <p className="px-4 py-3 text-sm text-red-700" role="alert">Could not load the deliveries: {error.message}</p>
      ) : data.deliveries.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600">No deliveries yet. Send a test event, or change a lead.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Event</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
                <th scope="col" className="px-4 py-2 font-medium">Attempts</th>
                <th scope="col" className="px-4 py-2 font-medium">Response</th>
                <th scope="col" className="px-4 py-2 font-medium">Last attempt</th>
                <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" className="align-top">
                  <td className="px-4 py-2">
                    <span className="font-mono">{d.eventType}</span>
                    <span className="block font-mono text-xs text-slate-600">{d.eventId}</span>
                  </td>
                  <td className="px-4 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${d.status === "delivered" ? "bg-green-100 text-green-800" : d.status === "failed" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>
                      {d.status}
                    </span>
                    {d.status === "pending" && d.nextAttemptAt && d.attempts > 0 ? (
                      <span className="block text-xs text-slate-600">retry <LocalTime iso={d.nextAttemptAt} mode="relative" /></span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">{d.attempts}</td>
                  <td className="px-4 py-2">
                    {d.responseStatus !== null ? <span>HTTP {d.responseStatus}</span> : d.error ? <span>{d.error}</span> : "—"}
                    {d.responseTimeMs !== null ? <span className="text-slate-600"> in {d.responseTimeMs} ms</span> : null}
                    {d.responseBody ? (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs text-slate-700">Body (first 1 KB)</summary>
                        <pre className="mt-1 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{d.responseBody}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td className="px-4 py-2 text-slate-700">{d.lastAttemptAt ? <LocalTime iso={d.lastAttemptAt} /> : "—"}</td>
                  <td className="px-4 py-2 text-right">
                    <button
                      type="button"
                      className={buttonSecondary}
                      disabled={replay.isPending || !endpoint.enabled}
                      aria-label={`Replay ${d.eventType} ${d.eventId}`}
                      onClick={() =>
                        replay.mutate(
                          { endpointId: endpoint.id, deliveryId: d.id },
                          { onSuccess: () => { toast.success("Replay queued"); setPage(1); }, onError: (e) => toast.error(e.message) },
                        )
                      }
                    >
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (page > 1 || data.hasMore) ? (
        <nav aria-label="Delivery log pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm">
          <button type="button" className={buttonSecondary} disabled={page <= 1} onClick={() => setPage(page - 1)}>Newer</button>
          <span>Page {page}</span>
          <button type="button" className={buttonSecondary} disabled={!data.hasMore} onClick={() => setPage(page + 1)}>Older</button>
        </nav>
      ) : null}
    </section>
  );
}

function EndpointCard({ endpoint, onSecret, onDelete }: { endpoint: WebhookEndpointDto; onSecret: (secret: string, title: string) => void; onDelete: () => void }) {
  const [showLog, setShowLog] = useState(false);
  const update = useUpdateEndpoint();
  const rotate = useRotateSecret();
  const sendTest = useSendTest();
  const label = endpoint.description || endpoint.url;
  return (
    <li className="px-5 py-4" data-testid="webhook-endpoint">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="break-all font-mono text-sm text-slate-900">{endpoint.url}</p>
          {endpoint.description ? <p className="text-sm text-slate-700">{endpoint.description}</p> : null}
          <p className="mt-1 text-xs text-slate-600">
            {endpoint.events.join(", ")}
            {endpoint.events.includes("lead.status_changed") && endpoint.statuses.length > 0 ? ` (status changes to ${endpoint.statuses.join(", ")} only)` : ""}
          </p>
          {endpoint.previousSecretExpiresAt ? (
            <p className="mt-1 text-xs text-slate-600">Secret rotated: the previous secret also signs until <LocalTime iso={endpoint.previousSecretExpiresAt} />.</p>
          ) : null}
          {endpoint.enabled ? (
            <span className="mt-2 inline-block rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">Enabled</span>
          ) : (
            <p className="mt-2 text-sm text-red-800" data-testid="disabled-reason">
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">Disabled</span> {endpoint.disabledReason ?? ""}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            className={buttonSecondary}
            disabled={sendTest.isPending || !endpoint.enabled}
            aria-label={`Send test event to ${label}`}
            onClick={() => sendTest.mutate(endpoint.id, { onSuccess: () => { toast.success("Test event queued"); setShowLog(true); }, onError: (e) => toast.error(e.message) })}
          >
            Send test event
          </button>
          <button type="button" className={buttonSecondary} aria-expanded={showLog} onClick={() => setShowLog(!showLog)} aria-label={`${showLog ? "Hide" : "Show"} deliveries of ${label}`}>
            {showLog ? "Hide deliveries" : "Deliveries"}
          </button>
          <button
            type="button"
            className={buttonSecondary}
            disabled={rotate.isPending}
            aria-label={`Rotate secret of ${label}`}
            onClick={() => rotate.mutate(endpoint.id, { onSuccess: ({ secret }) => onSecret(secret, "New signing secret"), onError: (e) => toast.error(e.message) })}
          >
            Rotate secret
          </button>
          <button
            type="button"
            className={buttonSecondary}
            disabled={update.isPending}
            aria-label={`${endpoint.enabled ? "Disable" : "Enable"} ${label}`}
            onClick={() => update.mutate({ id: endpoint.id, input: { enabled: !endpoint.enabled } }, { onError: (e) => toast.error(e.message) })}
          >
            {endpoint.enabled ? "Disable" : "Enable"}
          </button>
          <button type="button" className={buttonSecondary} aria-label={`Delete ${label}`} onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
      {showLog ? <DeliveryLog endpoint={endpoint} /> : null}
    </li>
  );
}

/** The Webhooks settings page: add an endpoint (secret shown once), manage endpoints, read the delivery log, replay. */
export function WebhooksManager({ initial }: { initial: WebhookEndpointDto[] }) {
  const headingId = useId();
  const { data: endpoints } = useWebhookEndpoints(initial);
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointDto | null>(null);
  const remove = useDeleteEndpoint();

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${headingId}-add`} className={`${cardClass} space-y-4 p-5`}>
        <h2 id={`${headingId}-add`} className="text-base font-semibold text-slate-900">Add a webhook endpoint</h2>
        <p className="text-sm text-slate-700">Leadline POSTs signed JSON to the endpoint when a lead changes, retries for 24 hours, and keeps each lead&apos;s events in order.</p>
        <AddEndpointForm onCreated={(s, url) => setSecret({ title: `Endpoint ${url} added`, secret: s })} />
        {secret ? (
          <OneTimeSecret title={secret.title} label="Signing secret" noun="secret" value={secret.secret} onDone={() => setSecret(null)} testId="webhook-secret">
            <strong>Copy the signing secret now: it will not be shown again.</strong> Verify each delivery&apos;s Leadline-Signature with it (see docs/webhooks.md).
          </OneTimeSecret>
        ) : null}
      </section>

      <section aria-labelledby={`${headingId}-list`} className={cardClass}>
        <h2 id={`${headingId}-list`} className="border-b border-slate-200 px-5 py-4 text-base font-semibold text-slate-900">Endpoints</h2>
        {endpoints.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-600">No webhook endpoints yet. Add one above to tell another system when leads change.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {endpoints.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={(s, title) => setSecret({ title, secret: s })} onDelete={() => setDeleting(endpoint)} />
            ))}
          </ul>
        )}
      </section>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the endpoint ${deleting?.url ?? ""}?`}
        confirmLabel="Delete endpoint"
        confirmClassName={buttonDanger}
        pending={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => { toast.success("Endpoint deleted"); setDeleting(null); },
            onError: (e) => toast.error(e.message),
          })
        }
      >
        It receives nothing from now on, and its delivery log is deleted. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
