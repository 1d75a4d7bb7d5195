import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "@/lib/errors";
import { createImportQuerySchema, exportLeadsQuerySchema } from "@/lib/imports/schemas";
import { createLeadBodySchema, listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { apiRouteFiles } from "../helpers/api-routes";
import { schemaValidator, type OpenApiLike } from "../helpers/openapi";

const document = buildOpenApiDocument();
const schemas = document.components.schemas as Record<string, Record<string, unknown>>;
type Operation = {
  parameters?: { $ref?: string; name?: string; in?: string; schema?: unknown }[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: unknown; example?: unknown; examples?: Record<string, { value: unknown }> }> }>;
  requestBody?: unknown;
  security?: unknown[];
};
const operations = Object.entries(document.paths).flatMap(([p, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path: p, method, operation: operation as Operation })),
);

/** The public API's routes as the code has them: app/api/…/route.ts files exporting a method through withApiKey. */
function apiKeyRoutes(): { path: string; method: string }[] {
  return apiRouteFiles().flatMap(({ segments, source }) => {
    const route = "/api/" + segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
    return [...source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE) = withApiKey\b/g)].map((m) => ({ path: route, method: m[1]!.toLowerCase() }));
  });
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it("documents every route of the public API (API key) with every method it takes", () => {
    const routes = apiKeyRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const route of routes) {
      expect(document.paths, `${route.method} ${route.path}`).toHaveProperty([route.path, route.method]);
    }
    expect(document.paths).toHaveProperty(["/api/openapi.json", "get"]);
  });

  it("describes both auth schemes, and every API-key operation uses them", () => {
    expect(document.components.securitySchemes).toMatchObject({
      ApiKey: { type: "apiKey", in: "header", name: "X-API-KEY" },
      Bearer: { type: "http", scheme: "bearer" },
    });
    for (const { path: p, operation } of operations.filter((o) => o.path !== "/api/openapi.json")) {
      expect(operation.security, p).toEqual([{ ApiKey: [] }, { Bearer: [] }]);
    }
  });

  it("lists every error code with its status, and every operation's errors have a schema of that status", () => {
    const allCodes = (schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }).properties.error.properties.code.enum;
    expect(new Set(allCodes)).toEqual(new Set(Object.keys(ERROR_STATUS)));
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const perStatus = schemas[`Error${status}`] as { properties: { error: { properties: { code: { enum: string[] } } } } };
      expect(perStatus.properties.error.properties.code.enum, code).toContain(code);
    }
    for (const { path: p, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response.content?.["application/json"]?.schema, `${method} ${p} ${status}`).toEqual({ $ref: `#/components/schemas/Error${status}` });
      }
    }
  });

  it("documents the headers: X-Request-Id on every reply, rate limits on API-key replies, Retry-After on 429, Idempotency-Key on writes", () => {
    for (const { path: p, method, operation } of operations.filter((o) => o.path !== "/api/openapi.json")) {
      expect(operation.parameters?.map((x) => x.$ref), `${method} ${p}`).toContain("#/components/parameters/XRequestId");
      // A CSV upload does not take an Idempotency-Key (its description says so): a retry is a new import.
      const idempotent = (method === "patch" || method === "post") && p !== "/api/leads/imports";
      expect(operation.parameters?.some((x) => x.$ref === "#/components/parameters/IdempotencyKey"), `${method} ${p}`).toBe(idempotent);
      expect(operation.responses, `${method} ${p}`).toHaveProperty("401");
      expect(operation.responses, `${method} ${p}`).toHaveProperty("429");
      for (const [status, response] of Object.entries(operation.responses)) {
        const headers = Object.keys(response.headers ?? {});
        expect(headers, `${method} ${p} ${status}`).toEqual(expect.arrayContaining(["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]));
        if (status === "429") expect(headers).toContain("Retry-After");
        if (idempotent && Number(status) < 300) expect(headers).toContain("Idempotent-Replayed");
      }
    }
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ in: "header", schema: { maxLength: 255 } });
  });

  it("is generated from the request schemas: every field they take is documented, none as an empty schema", () => {
    const bodies = { UpdateLeadsRequest: updateLeadsBodySchema.in, CreateLeadRequest: createLeadBodySchema };
    for (const [name, zodSchema] of Object.entries(bodies)) {
      const properties = schemas[name]!.properties as Record<string, Record<string, unknown>>;
      expect(Object.keys(properties).sort(), name).toEqual(Object.keys(zodSchema.shape).sort());
      for (const [field, schema] of Object.entries(properties)) {
        expect(["type", "anyOf", "enum", "$ref"].some((k) => k in schema), `${name}.${field}`).toBe(true);
      }
      expect(schemas[name]!.required, `${name}: every field is optional on the wire`).toBeUndefined();
    }
    const list = operations.find((o) => o.method === "get" && o.path === "/api/leads")!.operation;
    const query = list.parameters!.filter((x) => x.in === "query");
    expect(query.map((x) => x.name)).toEqual(expect.arrayContaining(["search", "status", "email", "phone", "sort", "limit", "page"]));
    expect(query.every((x) => (x as { required: boolean }).required === false)).toBe(true);

    const queries = {
      "get /api/leads": listLeadsQuerySchema,
      "get /api/leads/export": exportLeadsQuerySchema,
      "post /api/leads/imports": createImportQuerySchema,
    };
    for (const [operationName, zodSchema] of Object.entries(queries)) {
      const [method, p] = operationName.split(" ");
      const parameters = operations.find((o) => o.method === method && o.path === p)!.operation.parameters!.filter((x) => x.in === "query");
      expect(parameters.map((x) => x.name).sort(), operationName).toEqual(Object.keys(zodSchema.shape).sort());
      for (const parameter of parameters) {
        expect((parameter as { description?: string }).description, `${operationName} ?${parameter.name}`).toMatch(/\w/);
      }
    }
  });

  it("documents the request body of the CSV import as text/csv, and the CSV replies as text/csv", () => {
    const find = (method: string, p: string) => operations.find((o) => o.method === method && o.path === p)!.operation;
    expect(find("post", "/api/leads/imports").requestBody).toMatchObject({ required: true, content: { "text/csv": { schema: { type: "string" } } } });
    for (const p of ["/api/leads/export", "/api/leads/imports/{id}/failed-rows"]) {
      expect(Object.keys(find("get", p).responses["200"]!.content!), p).toEqual(["text/csv"]);
    }
  });

  it("has examples, and each one is valid against its own schema", () => {
    const validator = schemaValidator(document as unknown as OpenApiLike);
    expect(validator.component("Lead", { ...(schemas.Lead!.examples as object[])[0], status: "Won" }), "a wrong example is caught").not.toBeNull();
    let checked = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      for (const example of (schema.examples as unknown[] | undefined) ?? []) {
        expect(validator.component(name, example), `example of ${name}`).toBeNull();
        checked++;
      }
    }
    for (const { path: p, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = response.content?.["application/json"];
        if (!content) continue;
        const examples = [content.example, ...Object.values(content.examples ?? {}).map((e) => e.value)].filter((e) => e !== undefined);
        expect(examples.length, `${method} ${p} ${status} has an example`).toBeGreaterThan(p === "/api/openapi.json" ? -1 : 0);
        for (const example of examples) {
          expect(validator.schema(content.schema, example), `${method} ${p} ${status}`).toBeNull();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
