import type { z } from "zod";

/**
 * One part of the public API in the OpenAPI document (lib/openapi/document.ts lists them).
 * Schemas are zod schemas, named: request schemas are described as clients send them, reply
 * schemas as the server produces them; operations refer to them as `#/components/schemas/<name>`.
 */
export interface ApiSection {
  tags?: { name: string; description: string }[];
  requestSchemas?: Record<string, z.ZodType>;
  replySchemas?: Record<string, z.ZodType>;
  paths: Record<string, Record<string, unknown>>;
}
