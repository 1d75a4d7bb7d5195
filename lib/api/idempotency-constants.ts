/** The Idempotency-Key contract, shared by the wrapper (lib/api/idempotency.ts) and the OpenAPI document. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
