import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** Validates JSON values against the schemas of an OpenAPI 3.1 document (JSON Schema 2020-12, ajv). */
export interface OpenApiLike {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

const DOCUMENT_ID = "https://leadline.test/openapi.json";

export function schemaValidator(document: OpenApiLike) {
  // Not strict: the document carries OpenAPI keywords (paths, info, …) beside the schemas.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its function is the default export or that export's `default`, depending on the loader.
  const plugin = (addFormats as unknown as { default?: typeof addFormats }).default ?? addFormats;
  plugin(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  const cache = new Map<string, ValidateFunction>();

  const compile = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      // Refs such as #/components/schemas/Lead resolve against the document.
      validate = ajv.compile({ $id: `https://leadline.test/inline/${cache.size}.json`, ...rebase(schema) } as object);
      cache.set(key, validate);
    }
    return validate;
  };

  return {
    /** Errors of `value` against the component `name`, or null when it is valid. */
    component(name: string, value: unknown): string | null {
      const validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
      if (!validate) throw new Error(`No component schema ${name}`);
      return validate(value) ? null : ajv.errorsText(validate.errors);
    },
    /** Errors of `value` against an inline schema that may refer to components, or null. */
    schema(schema: unknown, value: unknown): string | null {
      const validate = compile(schema);
      return validate(value) ? null : ajv.errorsText(validate.errors);
    },
  };
}

/** Makes `#/components/...` refs absolute, so an inline schema compiled on its own finds them. */
function rebase(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${DOCUMENT_ID}#/`)) as Record<string, unknown>;
}
