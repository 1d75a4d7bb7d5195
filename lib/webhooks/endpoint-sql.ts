import "server-only";

/**
 * SQL for "the organization has an enabled webhook endpoint", for the queries that read it: the
 * API-key and session lookups (per request) and the outbox's own check (lib/webhooks/outbox.ts).
 * `organizationId` is an SQL expression (a column or a parameter), never user input.
 */
export function enabledEndpointExists(organizationId: string): string {
  return `EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."organizationId" = ${organizationId} AND w."enabled")`;
}
