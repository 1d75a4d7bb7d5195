/**
 * The webhook event types and their descriptions: plain constants, safe for client components
 * (lib/webhooks/schemas.ts holds the payload schemas, which reach server-only modules).
 */

export const WEBHOOK_EVENT_TYPES = ["lead.created", "lead.updated", "lead.status_changed", "lead.note_added"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by "Send test event"; never subscribed to. */
export const WEBHOOK_TEST_EVENT = "webhook.test" as const;

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "lead.created": "A lead was created (API, app, import).",
  "lead.updated": "A field of a lead changed (status, value, loss reason).",
  "lead.status_changed": "A lead's status changed; can be limited to some statuses (e.g. only won).",
  "lead.note_added": "A note was added to a lead.",
};
