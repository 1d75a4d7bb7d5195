"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest } from "@/components/api-client";
import type { WebhookDeliveryDto, WebhookEndpointDto } from "@/lib/webhooks/endpoints";
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from "@/lib/webhooks/schemas";

/** Data hooks of the Webhooks settings page (TanStack Query over /api/settings/webhooks). */

const ENDPOINTS_KEY = ["settings", "webhooks"] as const;
const deliveriesKey = (id: string, page: number) => ["settings", "webhooks", id, "deliveries", page] as const;

export interface DeliveriesPage {
  deliveries: WebhookDeliveryDto[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export function useWebhookEndpoints(initial: WebhookEndpointDto[]) {
  return useQuery({
    queryKey: ENDPOINTS_KEY,
    queryFn: ({ signal }) => apiRequest<WebhookEndpointDto[]>("GET", "/api/settings/webhooks", undefined, signal),
    initialData: initial,
  });
}

export function useDeliveries(endpointId: string, page: number) {
  return useQuery({
    queryKey: deliveriesKey(endpointId, page),
    queryFn: ({ signal }) =>
      apiRequest<DeliveriesPage>("GET", `/api/settings/webhooks/${endpointId}/deliveries?page=${page}&pageSize=10`, undefined, signal),
    placeholderData: keepPreviousData,
    // Deliveries change in the background: keep the log fresh while it is open.
    refetchInterval: 2000,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ENDPOINTS_KEY });
}

export function useCreateEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: CreateWebhookEndpointInput) =>
      apiRequest<{ endpoint: WebhookEndpointDto; secret: string }>("POST", "/api/settings/webhooks", input),
    onSuccess: () => void invalidate(),
  });
}

export function useUpdateEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateWebhookEndpointInput }) =>
      apiRequest<WebhookEndpointDto>("PATCH", `/api/settings/webhooks/${id}`, input),
    onSuccess: () => void invalidate(),
  });
}

export function useDeleteEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiRequest<{ id: string }>("DELETE", `/api/settings/webhooks/${id}`),
    onSuccess: () => void invalidate(),
  });
}

export function useRotateSecret() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiRequest<{ endpoint: WebhookEndpointDto; secret: string }>("POST", `/api/settings/webhooks/${id}/rotate-secret`),
    onSuccess: () => void invalidate(),
  });
}

export function useSendTest() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiRequest<WebhookDeliveryDto>("POST", `/api/settings/webhooks/${id}/test`),
    onSuccess: () => void invalidate(),
  });
}

export function useReplay() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
      apiRequest<WebhookDeliveryDto>("POST", `/api/settings/webhooks/${endpointId}/deliveries/${deliveryId}/replay`),
    onSuccess: () => void invalidate(),
  });
}
