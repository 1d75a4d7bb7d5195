import { z } from "zod";
import { leadSchema } from "@/lib/leads/replies";
import { LEAD_STATUSES } from "@/lib/leads/normalize";

/**
 * Webhooks: the event types, the payload Leadline sends (also the OpenAPI "webhooks" section,
 * see docs/webhooks.md), and the admin requests that manage endpoints. No database here: this
 * module is safe to import from the OpenAPI builder, forms and tests.
 */

export { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, type WebhookEventType } from "./events";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./events";

// ---- Payload --------------------------------------------------------------------------------

const isoDateTime = z.iso.datetime({ offset: true });

// The lead object of the API (lib/leads/replies.ts), not a copy: a payload's lead is what GET /api/leads/{id} answers.
export const webhookLeadSchema = leadSchema
  .meta({ id: "WebhookLead", description: "The lead as stored right after the change (the same shape as GET /api/leads/{id})." });

const changeValue = z.union([z.string(), z.number(), z.null()]);
export const webhookChangesSchema = z
  .record(z.string(), z.object({ from: changeValue.optional(), to: changeValue }))
  .meta({
    id: "WebhookChanges",
    description: 'Every field that changed, as { field: { from, to } }; a note is { note: { to: "<body>" } }.',
  });

export const webhookActorSchema = z
  .object({
    type: z.enum(["user", "api_key", "system"]),
    id: z.string().nullable(),
    name: z.string(),
  })
  .meta({ id: "WebhookActor", description: "Who made the change: a user of the app, an API key, or Leadline itself." });

function eventSchema<T extends string>(type: T, description: string) {
  return z
    .object({
      id: z.string().describe("Event id, stable across retries and replays: de-duplicate on it. Also in Leadline-Event-Id."),
      type: z.literal(type),
      createdAt: isoDateTime.describe("When the change happened."),
      data: z.object({
        lead: webhookLeadSchema,
        changes: webhookChangesSchema,
        actor: webhookActorSchema,
        requestId: z.string().nullable().describe("X-Request-Id of the request that made the change."),
      }),
    })
    .meta({ description });
}

export const leadCreatedEventSchema = eventSchema("lead.created", WEBHOOK_EVENT_DESCRIPTIONS["lead.created"]).meta({ id: "LeadCreatedEvent" });
export const leadUpdatedEventSchema = eventSchema("lead.updated", WEBHOOK_EVENT_DESCRIPTIONS["lead.updated"]).meta({ id: "LeadUpdatedEvent" });
export const leadStatusChangedEventSchema = eventSchema("lead.status_changed", WEBHOOK_EVENT_DESCRIPTIONS["lead.status_changed"]).meta({
  id: "LeadStatusChangedEvent",
});
export const leadNoteAddedEventSchema = eventSchema("lead.note_added", WEBHOOK_EVENT_DESCRIPTIONS["lead.note_added"]).meta({ id: "LeadNoteAddedEvent" });

/** One entry per event type, for the OpenAPI 3.1 `webhooks` map (key = event type). */
export const WEBHOOK_EVENT_SCHEMAS = {
  "lead.created": leadCreatedEventSchema,
  "lead.updated": leadUpdatedEventSchema,
  "lead.status_changed": leadStatusChangedEventSchema,
  "lead.note_added": leadNoteAddedEventSchema,
} as const satisfies Record<WebhookEventType, z.ZodType>;

export const webhookEventSchema = z.discriminatedUnion("type", [
  leadCreatedEventSchema,
  leadUpdatedEventSchema,
  leadStatusChangedEventSchema,
  leadNoteAddedEventSchema,
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The headers of every delivery (OpenAPI: the webhook operations' header parameters). */
export const WEBHOOK_HEADERS = {
  "Leadline-Signature": "t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the endpoint's secret>; during a secret rotation a second v1= signed with the previous secret.",
  "Leadline-Event-Id": "The event id (same as the body's id).",
  "Leadline-Event-Type": "The event type (same as the body's type).",
} as const;

// ---- Admin requests -------------------------------------------------------------------------

const eventsField = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of: ${WEBHOOK_EVENT_TYPES.join(", ")}` }), { error: "must be a list of event types" })
  .min(1, { error: "choose at least one event" })
  .transform((list) => [...new Set(list)]);
const statusesField = z
  .array(z.enum(LEAD_STATUSES, { error: `must be one of: ${LEAD_STATUSES.join(", ")}` }), { error: "must be a list of statuses" })
  .transform((list) => [...new Set(list)]);

export const createWebhookEndpointSchema = z.object({
  url: z.string({ error: "is required" }).trim().min(1, { error: "is required" }).max(2000, { error: "must be at most 2000 characters" }),
  description: z.string({ error: "must be text" }).trim().max(500, { error: "must be at most 500 characters" }).default(""),
  events: eventsField,
  /** Only for lead.status_changed: the statuses to receive; empty means every status. */
  statuses: statusesField.default([]),
});
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z
  .object({
    enabled: z.boolean({ error: "must be true or false" }).optional(),
    description: z.string({ error: "must be text" }).trim().max(500, { error: "must be at most 500 characters" }).optional(),
    events: eventsField.optional(),
    statuses: statusesField.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "send at least one of enabled, description, events, statuses" });
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;

export const deliveriesQuerySchema = z.object({
  page: z.coerce.number({ error: "must be a number" }).int().min(1, { error: "must be at least 1" }).max(10_000).default(1),
  pageSize: z.coerce.number({ error: "must be a number" }).int().min(1).max(100, { error: "must be at most 100" }).default(20),
});

// ---- OpenAPI --------------------------------------------------------------------------------

/**
 * The OpenAPI 3.1 `webhooks` section (one POST per event type) and the component schemas it
 * references, ready for the OpenAPI document: `{ ...doc, webhooks, components: { schemas: {
 * ...doc.components.schemas, ...schemas } } }`.
 */
export function webhooksOpenApi(): { webhooks: Record<string, unknown>; schemas: Record<string, Record<string, unknown>> } {
  const registry = z.registry<{ id: string }>();
  const components: [z.ZodType, string][] = [
    [webhookLeadSchema, "WebhookLead"],
    [webhookChangesSchema, "WebhookChanges"],
    [webhookActorSchema, "WebhookActor"],
    [leadCreatedEventSchema, "LeadCreatedEvent"],
    [leadUpdatedEventSchema, "LeadUpdatedEvent"],
    [leadStatusChangedEventSchema, "LeadStatusChangedEvent"],
    [leadNoteAddedEventSchema, "LeadNoteAddedEvent"],
  ];
  for (const [schema, id] of components) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` }).schemas;
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [id, schema] of Object.entries(converted)) {
    const { $id: _id, $schema: _schema, ...rest } = schema as Record<string, unknown>;
    schemas[id] = rest;
  }
  const ids = new Map<z.ZodType, string>(components);
  const webhooks: Record<string, unknown> = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    webhooks[type] = {
      post: {
        operationId: `webhook_${type.replace(".", "_")}`,
        summary: type,
        description: `${WEBHOOK_EVENT_DESCRIPTIONS[type]} Sent to every enabled endpoint subscribed to ${type}. See docs/webhooks.md.`,
        parameters: Object.entries(WEBHOOK_HEADERS).map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } })),
        requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${ids.get(WEBHOOK_EVENT_SCHEMAS[type])}` } } } },
        responses: { "2XX": { description: "Received. Any other answer, or none within 10 s, is retried with backoff for 24 hours." } },
      },
    };
  }
  return { webhooks, schemas };
}
