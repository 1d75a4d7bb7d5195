import { errorReplySchemas, HEADERS, PARAMETERS, SECURITY_SCHEMES } from "./components";
import { componentSchemas, type JsonSchema } from "./json-schema";
import { importsSection } from "./imports";
import { leadsSection } from "./leads";
import { referenceSection } from "./reference";
import type { ApiSection } from "./section";
import { webhooksOpenApi } from "@/lib/webhooks/schemas";

/**
 * The OpenAPI 3.1 document of the public API, served at GET /api/openapi.json and rendered at
 * /docs/api. It is generated from the zod schemas that validate requests (lib/leads/schemas.ts,
 * lib/imports/schemas.ts) and that describe replies (lib/leads/replies.ts, lib/imports/replies.ts,
 * lib/api/envelope.ts). To add endpoints: write an ApiSection (see lib/openapi/leads.ts) and list
 * it here.
 */
const SECTIONS: ApiSection[] = [leadsSection, importsSection, referenceSection];

export const OPENAPI_VERSION = "3.1.1";

function mergeNamed<T>(kind: string, target: Record<string, T>, source: Record<string, T> | undefined): void {
  for (const [name, value] of Object.entries(source ?? {})) {
    if (name in target) throw new Error(`OpenAPI: ${kind} "${name}" is defined twice`);
    target[name] = value;
  }
}

export function buildOpenApiDocument(sections: readonly ApiSection[] = SECTIONS) {
  const requestSchemas = {};
  const replySchemas = { ...errorReplySchemas() };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const section of sections) {
    mergeNamed("request schema", requestSchemas, section.requestSchemas);
    mergeNamed("reply schema", replySchemas, section.replySchemas);
    for (const [path, item] of Object.entries(section.paths)) {
      paths[path] = { ...paths[path] };
      mergeNamed(`operation of ${path}`, paths[path], item);
    }
  }
  const schemas: Record<string, JsonSchema> = {};
  mergeNamed("schema", schemas, componentSchemas("input", requestSchemas));
  mergeNamed("schema", schemas, componentSchemas("output", replySchemas));
  // The events Leadline sends to webhook endpoints (OpenAPI 3.1's top-level `webhooks`).
  const hooks = webhooksOpenApi();
  mergeNamed("schema", schemas, hooks.schemas as Record<string, JsonSchema>);

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Leadline API",
      version: "1.0.0",
      summary: "Create, update and read the leads of your organization.",
      description:
        "The API integrators use to feed Leadline: call trackers, ad platforms, automation tools, your own scripts.\n\n" +
        "- **Authentication**: an API key of your organization in `X-API-KEY` (or `Authorization: Bearer`). Admins create " +
        "keys under [Settings → API keys](/settings/api-keys).\n" +
        "- **Envelope**: every reply is `{ success, data | error, meta: { requestId, timestamp } }`; errors carry a " +
        "stable `error.code`.\n" +
        "- **Retries**: send an `Idempotency-Key` with PATCH and POST /api/leads, and a retry never writes twice.\n" +
        "- **Rate limits**: every reply carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; over the " +
        "limit the reply is `429 RATE_LIMITED` with `Retry-After`.",
    },
    servers: [{ url: "/", description: "This Leadline installation" }],
    security: [{ ApiKey: [] }, { Bearer: [] }],
    tags: sections.flatMap((section) => section.tags ?? []),
    paths,
    webhooks: hooks.webhooks,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      headers: HEADERS,
      parameters: PARAMETERS,
      schemas,
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

let cached: OpenApiDocument | undefined;

/** The document, built once per process (it depends only on the code). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
