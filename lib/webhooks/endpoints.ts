import type { LeadStatus, WebhookDelivery, WebhookDeliveryStatus } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, validationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { checkWebhookUrl } from "./address";
import { nudgeDeliveries, scheduleSweep } from "./jobs";
import {
  WEBHOOK_TEST_EVENT,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
  type WebhookEventType,
} from "./schemas";
import { generateWebhookSecret } from "./signing";

/**
 * The admin side of webhooks, shared by the settings routes, the settings page and the admin
 * CLI: endpoints (the secret is returned only on create and rotate), the delivery log, replay and
 * the test event. Every call is scoped to one organization: another one's endpoint is "not found".
 */

export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface WebhookEndpointDto {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  statuses: LeadStatus[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  /** While a rotation overlaps: the old secret still signs until then. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface WebhookDeliveryDto {
  id: string;
  eventId: string;
  eventType: string;
  leadId: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseTimeMs: number | null;
  responseBody: string | null;
  error: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  statuses: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  previousSecretExpiresAt: true,
  createdAt: true,
} as const;

type EndpointRow = {
  id: string;
  url: string;
  description: string;
  events: string[];
  statuses: LeadStatus[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
};

function toDto(row: EndpointRow): WebhookEndpointDto {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now() ? row.previousSecretExpiresAt.toISOString() : null;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    statuses: row.statuses,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    previousSecretExpiresAt: overlap,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Refuses URLs that are not https, do not resolve, or reach a private address (SSRF), as a 400 on `url`. */
export async function assertWebhookUrl(url: string, allowPrivate = env.LEADLINE_WEBHOOKS_ALLOW_PRIVATE): Promise<string> {
  const checked = await checkWebhookUrl(url, { allowPrivate });
  if (!checked.ok) throw validationError([{ field: "url", message: checked.message }]);
  return checked.target.url.toString();
}

export async function listWebhookEndpoints(organizationId: string): Promise<WebhookEndpointDto[]> {
  const rows = await prisma.webhookEndpoint.findMany({ where: { organizationId }, orderBy: { createdAt: "desc" }, select: endpointSelect });
  return rows.map(toDto);
}

async function findOwned(organizationId: string, id: string) {
  const found = await prisma.webhookEndpoint.findFirst({ where: { id, organizationId }, select: { id: true, enabled: true } });
  if (!found) throw new AppError("NOT_FOUND", "Webhook endpoint not found");
  return found;
}

export async function createWebhookEndpoint(
  organizationId: string,
  input: CreateWebhookEndpointInput,
  createdById: string | null,
): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
  const url = await assertWebhookUrl(input.url);
  const secret = generateWebhookSecret();
  const row = await prisma.webhookEndpoint.create({
    data: {
      id: newId("wh"),
      organizationId,
      url,
      description: input.description,
      events: input.events,
      statuses: input.statuses,
      secret,
      createdById,
    },
    select: endpointSelect,
  });
  return { endpoint: toDto(row), secret };
}

export async function updateWebhookEndpoint(organizationId: string, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointDto> {
  const before = await findOwned(organizationId, id);
  const enabling = input.enabled === true && !before.enabled;
  const row = await prisma.webhookEndpoint.update({
    where: { id },
    data: {
      description: input.description,
      events: input.events,
      statuses: input.statuses,
      ...(input.enabled === undefined
        ? {}
        : input.enabled
          ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null }
          : { enabled: false, disabledReason: before.enabled ? "Disabled by an admin" : undefined, disabledAt: before.enabled ? new Date() : undefined }),
    },
    select: endpointSelect,
  });
  // Deliveries that waited while it was disabled go out now.
  if (enabling) await scheduleSweep(0, { endpointId: id });
  return toDto(row);
}

export async function deleteWebhookEndpoint(organizationId: string, id: string): Promise<void> {
  await findOwned(organizationId, id);
  await prisma.webhookEndpoint.delete({ where: { id } });
}

/** A new secret; the previous one keeps signing (a second v1=) for 24 hours. */
export async function rotateWebhookSecret(organizationId: string, id: string): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
  await findOwned(organizationId, id);
  const secret = generateWebhookSecret();
  const row = await prisma.$transaction(async (tx) => {
    const current = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secret: true } });
    return tx.webhookEndpoint.update({
      where: { id },
      data: { secret, previousSecret: current.secret, previousSecretExpiresAt: new Date(Date.now() + SECRET_ROTATION_OVERLAP_MS) },
      select: endpointSelect,
    });
  });
  return { endpoint: toDto(row), secret };
}

function actorPayload(actor: Actor) {
  return { type: actor.type, id: actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.apiKeyId : null, name: actor.name };
}

/** Queues a `webhook.test` event to this endpoint only (even when disabled it is refused: enable it first). */
export async function sendTestEvent(organizationId: string, id: string, actor: Actor, requestId: string): Promise<WebhookDeliveryDto> {
  const endpoint = await findOwned(organizationId, id);
  if (!endpoint.enabled) throw new AppError("CONFLICT", "This endpoint is disabled: enable it to send a test event");
  const eventId = newId("whevt", 20);
  const deliveryId = newId("whd", 24);
  const createdAt = new Date();
  const payload = {
    id: eventId,
    type: WEBHOOK_TEST_EVENT,
    createdAt: createdAt.toISOString(),
    data: { lead: null, changes: {}, actor: actorPayload(actor), requestId },
  };
  const row = await prisma.webhookDelivery.create({
    data: { id: deliveryId, organizationId, endpointId: id, eventId, eventType: WEBHOOK_TEST_EVENT, orderKey: deliveryId, payload, createdAt, nextAttemptAt: createdAt },
  });
  await nudgeDeliveries([{ endpointId: id, orderKey: deliveryId }]);
  return deliveryDto(row);
}

/** The delivery columns the log shows. */
type DeliveryLogRow = Pick<
  WebhookDelivery,
  "id" | "eventId" | "eventType" | "leadId" | "status" | "attempts" | "responseStatus" | "responseTimeMs" | "responseBody" | "error" | "lastAttemptAt" | "nextAttemptAt" | "deliveredAt" | "createdAt"
>;

function deliveryDto(row: DeliveryLogRow): WebhookDeliveryDto {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    leadId: row.leadId,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseTimeMs: row.responseTimeMs,
    responseBody: row.responseBody,
    error: row.error,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

const deliverySelect = {
  id: true,
  eventId: true,
  eventType: true,
  leadId: true,
  status: true,
  attempts: true,
  responseStatus: true,
  responseTimeMs: true,
  responseBody: true,
  error: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  createdAt: true,
} as const;

/** The delivery log of an endpoint, newest first. */
export async function listDeliveries(
  organizationId: string,
  id: string,
  page: { page: number; pageSize: number },
): Promise<{ deliveries: WebhookDeliveryDto[]; page: number; pageSize: number; hasMore: boolean }> {
  await findOwned(organizationId, id);
  const rows = await prisma.webhookDelivery.findMany({
    where: { endpointId: id },
    orderBy: { seq: "desc" },
    skip: (page.page - 1) * page.pageSize,
    take: page.pageSize + 1,
    select: deliverySelect,
  });
  return { deliveries: rows.slice(0, page.pageSize).map(deliveryDto), page: page.page, pageSize: page.pageSize, hasMore: rows.length > page.pageSize };
}

/** Sends a delivery's event again (same event id, same payload) as a new delivery at the top of the log. */
export async function replayDelivery(organizationId: string, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
  const endpoint = await findOwned(organizationId, id);
  if (!endpoint.enabled) throw new AppError("CONFLICT", "This endpoint is disabled: enable it to replay a delivery");
  const original = await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: id } });
  if (!original) throw new AppError("NOT_FOUND", "Delivery not found");
  const replayId = newId("whd", 24);
  const now = new Date();
  const row = await prisma.webhookDelivery.create({
    data: {
      id: replayId,
      organizationId,
      endpointId: id,
      eventId: original.eventId,
      eventType: original.eventType,
      leadId: original.leadId,
      orderKey: replayId,
      payload: original.payload ?? {},
      createdAt: now,
      nextAttemptAt: now,
    },
    select: deliverySelect,
  });
  await nudgeDeliveries([{ endpointId: id, orderKey: replayId }]);
  return deliveryDto(row);
}
