import { z } from "zod";

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) as plain data. */
export type JsonSchema = Record<string, unknown>;

export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `format: date-time` says it all; zod's long equivalent pattern only clutters the reference. */
function outputOverride(ctx: { jsonSchema: JsonSchema }): void {
  if (ctx.jsonSchema.format === "date-time") delete ctx.jsonSchema.pattern;
}

/**
 * Fixes what zod's generator says about requests that it cannot know from the shape alone:
 * - a property is optional in a request when its schema accepts `undefined` (preprocess defaults
 *   such as `limit`), whatever the output type says;
 * - examples and defaults given with `.meta()` on a preprocessing or transforming field are kept
 *   (zod drops them in input mode, since they describe the output).
 */
function inputOverride(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  outputOverride(ctx);
  const schema = ctx.zodSchema as z.ZodType;
  const meta = z.globalRegistry.get(schema);
  if (meta?.examples !== undefined && ctx.jsonSchema.examples === undefined) ctx.jsonSchema.examples = meta.examples;
  if (meta?.default !== undefined && ctx.jsonSchema.default === undefined) ctx.jsonSchema.default = meta.default;
  if (schema instanceof z.ZodObject && Array.isArray(ctx.jsonSchema.required)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const required = (ctx.jsonSchema.required as string[]).filter((key) => !shape[key]?.safeParse(undefined).success);
    if (required.length > 0) ctx.jsonSchema.required = required;
    else delete ctx.jsonSchema.required;
  }
}

/**
 * JSON Schemas of named zod schemas, as OpenAPI components: each one refers to the others by
 * `#/components/schemas/<name>`. Requests are described as clients send them (`io: "input"`),
 * replies as the server produces them (`io: "output"`, no unknown properties).
 */
export function componentSchemas(io: "input" | "output", schemas: Record<string, z.ZodType>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(schemas)) registry.add(schema, { id: name });
  const { schemas: generated } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
    override: io === "input" ? inputOverride : outputOverride,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(generated)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    void _schema;
    void _id;
    out[name] = rest;
  }
  return out;
}

/** One JSON Schema of a request-side zod schema (e.g. a query), inline. */
export function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
    override: inputOverride,
  }) as JsonSchema;
  void _schema;
  return rest;
}

/**
 * The query parameters of a zod object schema: one per property, with its schema, whether it is
 * required, and a description (from `.meta()` or `descriptions`). Arrays are comma-separated.
 */
export function queryParameters(schema: z.ZodType, descriptions: Record<string, string> = {}) {
  const json = inputSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, examples, ...propertySchema } = property;
    const example = Array.isArray(examples) ? (examples[0] as unknown) : undefined;
    return {
      name,
      in: "query",
      required: required.has(name),
      description: (description as string | undefined) ?? descriptions[name],
      schema: propertySchema,
      ...(propertySchema.type === "array" ? { style: "form", explode: false } : {}),
      ...(example !== undefined ? { example } : {}),
    };
  });
}
