import type { ApiSection } from "./section";

/** The document itself, as an endpoint. */
export const referenceSection: ApiSection = {
  tags: [{ name: "Reference", description: "This API's machine-readable contract." }],
  paths: {
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        description: "The OpenAPI 3.1 document of the public API, as JSON. Needs no API key. Rendered at [/docs/api](/docs/api).",
        tags: ["Reference"],
        security: [],
        responses: {
          200: {
            description: "The OpenAPI document.",
            content: { "application/json": { schema: { type: "object", required: ["openapi", "info", "paths"] } } },
          },
        },
      },
    },
  },
};
