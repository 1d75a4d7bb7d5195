import "server-only";
import type { ActorContext, OrganizationSettings } from "@/lib/auth/actor";
import { afterCommit } from "@/lib/db/after-commit";
import type { SqlTx } from "@/lib/db/sql-tx";
import { newId } from "@/lib/ids";
import type { LeadDto } from "@/lib/leads/serialize";
import type { WebhookEventType } from "./schemas";
import { dispatchDeliveries } from "./dispatch";
import { enabledEndpointExists } from "./endpoint-sql";

/**
 * The outbox: the webhook deliveries of a lead change, written in the change's own transaction,
 * so a change that commits always has its deliveries and one that rolls back has none.
 */

/** The lead-event rows a service just wrote (LeadEvent), as historyRecords builds them. */
export interface LeadEventWritten {
  id: string;
  leadId: string;
  type: string;
  changes: unknown;
  noteId?: string | null;
  requestId?: string | null;
  createdAt?: Date | string;
}

export interface LeadChangeWritten {
  events: readonly LeadEventWritten[];
  /** The notes written with them (for lead.note_added), matched by event.noteId. */
  notes: readonly { id: string; body: string }[];
  /** The leads as stored after the change (serialized), matched by event.leadId. */
  leads: readonly LeadDto[];
}

interface DerivedEvent {
  id: string;
  type: WebhookEventType;
  leadId: string;
  statusTo: string | null;
  payload: string;
  createdAt: string;
}

type Diff = Record<string, { from?: unknown; to: unknown }>;

function actorOf(ctx: ActorContext) {
  const { actor } = ctx;
  return { type: actor.type, id: actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.apiKeyId : null, name: actor.name };
}

/** lead.created; lead.updated (a field changed); lead.status_changed (with the new status); lead.note_added. */
export function deriveWebhookEvents(ctx: ActorContext, change: LeadChangeWritten): DerivedEvent[] {
  const leads = new Map(change.leads.map((lead) => [lead.id, lead]));
  const notes = new Map(change.notes.map((note) => [note.id, note.body]));
  const actor = actorOf(ctx);
  const out: DerivedEvent[] = [];
  for (const event of change.events) {
    const lead = leads.get(event.leadId);
    if (!lead) continue;
    const diff = (event.changes ?? {}) as Diff;
    const noteBody = event.noteId ? notes.get(event.noteId) : undefined;
    const withNote: Diff = noteBody === undefined ? diff : { ...diff, note: { to: noteBody } };
    const createdAt = new Date(event.createdAt ?? Date.now()).toISOString();
    const requestId = event.requestId ?? ctx.requestId;
    const add = (type: WebhookEventType, changes: Diff, statusTo: string | null = null) => {
      const id = newId("whevt", 20);
      out.push({
        id,
        type,
        leadId: lead.id,
        statusTo,
        createdAt,
        payload: JSON.stringify({ id, type, createdAt, data: { lead, changes, actor, requestId } }),
      });
    };
    if (event.type === "created") {
      add("lead.created", withNote);
    } else {
      if (Object.keys(diff).length > 0) add("lead.updated", withNote);
      const status = diff.status;
      if (status && typeof status.to === "string") add("lead.status_changed", { status }, status.to);
    }
    if (noteBody !== undefined) add("lead.note_added", { note: { to: noteBody } });
  }
  return out;
}

/**
 * Whether the organization has an enabled endpoint. A request's organization carries the answer
 * read by the query that authenticated it (lib/api-keys, lib/auth/session), fresh for that request;
 * otherwise it is read here, in the change's transaction. Never cached beyond one request (other
 * instances add endpoints). Either way it only decides whether to build the payloads: which
 * endpoints get a delivery is decided by recordWebhookEvents, in the change's transaction.
 */
export async function hasWebhookEndpoints(tx: SqlTx, organization: Pick<OrganizationSettings, "id" | "hasWebhookEndpoints">): Promise<boolean> {
  if (organization.hasWebhookEndpoints !== undefined) return organization.hasWebhookEndpoints;
  const [row] = await tx.query<{ found: boolean }>(
    `SELECT ${enabledEndpointExists("$1")} AS "found"`,
    [organization.id],
  );
  return row?.found ?? false;
}

/**
 * Writes one delivery per event and subscribed, enabled endpoint of the organization, in ONE
 * statement (INSERT ... SELECT FROM unnest(...) JOIN the endpoints): when no endpoint matches it
 * inserts nothing and costs one cheap round trip. Nothing is cached, so a new or disabled endpoint
 * counts at once on every instance. Once the transaction commits, the deliveries' sending is
 * woken (./dispatch); if it rolls back, the rows are gone and nothing is sent.
 */
export async function recordWebhookEvents(tx: SqlTx, ctx: ActorContext, change: LeadChangeWritten): Promise<void> {
  const derived = deriveWebhookEvents(ctx, change);
  if (derived.length === 0) return;
  const rows = await tx.query<{ endpointId: string; orderKey: string }>(
    `INSERT INTO "WebhookDelivery" ("id", "organizationId", "endpointId", "eventId", "eventType", "leadId", "orderKey", "payload", "createdAt", "nextAttemptAt")
    SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e."organizationId", e."id", ev.event_id, ev.event_type, ev.lead_id, ev.lead_id,
      ev.payload, (ev.created_at AT TIME ZONE 'UTC')::timestamp(3), (ev.created_at AT TIME ZONE 'UTC')::timestamp(3)
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[], $6::timestamptz[])
      WITH ORDINALITY AS ev(event_id, event_type, lead_id, status_to, payload, created_at, ord)
    JOIN "WebhookEndpoint" e ON e."organizationId" = $7 AND e."enabled" AND ev.event_type = ANY(e."events")
      AND (ev.event_type <> 'lead.status_changed' OR cardinality(e."statuses") = 0 OR ev.status_to::"LeadStatus" = ANY(e."statuses"))
    ORDER BY ev.ord, e."id"
    RETURNING "endpointId", "orderKey"`,
    [
      derived.map((d) => d.id),
      derived.map((d) => d.type),
      derived.map((d) => d.leadId),
      derived.map((d) => d.statusTo),
      derived.map((d) => d.payload),
      derived.map((d) => d.createdAt),
      ctx.organization.id,
    ],
  );
  if (rows.length > 0) afterCommit(tx, () => dispatchDeliveries(rows.map(({ endpointId, orderKey }) => ({ endpointId, orderKey }))));
}

