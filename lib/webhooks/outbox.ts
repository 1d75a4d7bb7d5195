import "server-only";
import type { ActorContext, OrganizationSettings } from "@/lib/auth/actor";
import { afterCommit } from "@/lib/db/after-commit";
import type { SqlTx } from "@/lib/db/sql-tx";
import { newId } from "@/lib/ids";
import type { LeadDto } from "@/lib/leads/serialize";
import type { WebhookEventType } from "./schemas";
import type { Claimed, PreClaimed } from "./deliveries";
import { claimsAtInsert, dispatchDeliveries } from "./dispatch";
import { enabledEndpointExists } from "./endpoint-sql";
import { LEASE_MS } from "./send";

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

type InsertedDelivery = Omit<Claimed, "body"> & { claimed: boolean };

/**
 * Writes one delivery per event and subscribed, enabled endpoint of the organization, in ONE
 * statement (INSERT ... SELECT FROM unnest(...) JOIN the endpoints): when no endpoint matches it
 * inserts nothing and costs one cheap round trip. Nothing is cached, so a new or disabled endpoint
 * counts at once on every instance. Once the transaction commits, the deliveries' sending is
 * woken (./dispatch); if it rolls back, the rows are gone and nothing is sent.
 *
 * In a process that sends its own changes' deliveries, the INSERT also claims them (the lease,
 * as the sender's claim would set it: lib/webhooks/deliveries.ts), unless an earlier delivery of
 * the same lead to the same endpoint is still pending (per-lead order: those wait for it, and are
 * claimed by the sender after it). The process then sends them from memory once the change
 * commits: no claim statement, and no second write of each row before its attempt. Concurrent
 * changes of one lead cannot both claim: each locks the lead's row before this statement, so the
 * second one's statement sees the first one's deliveries, committed and pending.
 */
export async function recordWebhookEvents(tx: SqlTx, ctx: ActorContext, change: LeadChangeWritten): Promise<void> {
  const derived = deriveWebhookEvents(ctx, change);
  if (derived.length === 0) return;
  const claim = claimsAtInsert();
  const claimedAt = Date.now();
  const rows = await tx.query<InsertedDelivery>(
    `WITH "inserted" AS (
      INSERT INTO "WebhookDelivery" ("id", "organizationId", "endpointId", "eventId", "eventType", "leadId", "orderKey", "payload", "createdAt", "nextAttemptAt",
        "lockedUntil", "attempts", "lastAttemptAt")
      SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e."organizationId", e."id", ev.event_id, ev.event_type, ev.lead_id, ev.lead_id,
        ev.payload, (ev.created_at AT TIME ZONE 'UTC')::timestamp(3), (ev.created_at AT TIME ZONE 'UTC')::timestamp(3),
        CASE WHEN c.claim THEN (clock_timestamp() AT TIME ZONE 'UTC') + $9::interval END, CASE WHEN c.claim THEN 1 ELSE 0 END,
        CASE WHEN c.claim THEN (clock_timestamp() AT TIME ZONE 'UTC') END
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[], $6::timestamptz[])
        WITH ORDINALITY AS ev(event_id, event_type, lead_id, status_to, payload, created_at, ord)
      JOIN "WebhookEndpoint" e ON e."organizationId" = $7 AND e."enabled" AND ev.event_type = ANY(e."events")
        AND (ev.event_type <> 'lead.status_changed' OR cardinality(e."statuses") = 0 OR ev.status_to::"LeadStatus" = ANY(e."statuses"))
      CROSS JOIN LATERAL (SELECT $8::boolean AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" x
          WHERE x."endpointId" = e."id" AND x."orderKey" = ev.lead_id AND x."status" = 'pending') AS claim) c
      ORDER BY ev.ord, e."id"
      RETURNING "id", "endpointId", "orderKey", "seq", "eventId", "eventType", "attempts", "createdAt", "lockedUntil" IS NOT NULL AS "claimed"
    )
    SELECT i."id", i."endpointId", i."orderKey", i."eventId", i."eventType", i."attempts", i."createdAt", i."claimed",
      e."url", e."secret", e."previousSecret", e."previousSecretExpiresAt"
    FROM "inserted" i JOIN "WebhookEndpoint" e ON e."id" = i."endpointId"
    ORDER BY i."seq"`,
    [
      derived.map((d) => d.id),
      derived.map((d) => d.type),
      derived.map((d) => d.leadId),
      derived.map((d) => d.statusTo),
      derived.map((d) => d.payload),
      derived.map((d) => d.createdAt),
      ctx.organization.id,
      claim,
      `${LEASE_MS} milliseconds`,
    ],
  );
  if (rows.length === 0) return;
  const payloads = new Map(derived.map((d) => [d.id, d.payload]));
  const claimed: PreClaimed[] = [];
  const groups: { endpointId: string; orderKey: string }[] = [];
  for (const { claimed: isClaimed, ...row } of rows) {
    const body = payloads.get(row.eventId);
    if (isClaimed && body !== undefined) claimed.push({ delivery: { ...row, body }, claimedAt });
    else groups.push({ endpointId: row.endpointId, orderKey: row.orderKey });
  }
  afterCommit(tx, () => dispatchDeliveries(groups, claimed));
}

