import { z } from "zod";
import { listLeadsQuerySchema } from "@/lib/leads/schemas";

/**
 * Request schemas of CSV export and import, shared by the API routes (API key), the app's routes
 * (session) and the import page. Parsed once at the edge; the services take the parsed types.
 */

import { IMPORT_FIELDS, IMPORT_MODES } from "./fields";

export { IMPORT_FIELD_LABELS, IMPORT_FIELDS, IMPORT_MODES, type ImportField, type ImportMode } from "./fields";

export const importModeSchema = z.enum(IMPORT_MODES, { error: `must be one of: ${IMPORT_MODES.join(", ")}` });

/** A mapping as the client sends it: lead field -> header name of the column (or null/absent for none). */
export const importMappingInputSchema = z
  .partialRecord(z.enum(IMPORT_FIELDS, { error: `keys must be among: ${IMPORT_FIELDS.join(", ")}` }), z.string().trim().max(200).nullable())
  .refine((mapping) => Object.values(mapping).some((header) => typeof header === "string" && header !== ""), {
    error: "must map at least one column",
  });
export type ImportMappingInput = z.output<typeof importMappingInputSchema>;

const booleanish = z.preprocess(
  (v) => (v === undefined || v === "" ? false : v),
  z.union([z.boolean(), z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => ["1", "true", "yes"].includes(v))]),
);

const fileNameSchema = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v : undefined),
  z
    .string()
    .trim()
    .max(200, { error: "must be at most 200 characters" })
    .transform((name) => name.replace(/[\u0000-\u001f\u007f]/g, ""))
    .default("import.csv"),
);

/** The `mapping` query parameter: a JSON object such as {"email":"E-mail","name":"Full name"}. */
const mappingQueryParam = z.preprocess((v) => {
  if (typeof v !== "string" || v.trim() === "") return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}, importMappingInputSchema.optional());

/** Query of POST /api/leads/imports (the body is the CSV file itself). */
export const createImportQuerySchema = z.object({
  mode: z.preprocess((v) => (v === undefined || v === "" ? "create" : v), importModeSchema),
  /** Omitted: the columns are recognised from their headers. */
  mapping: mappingQueryParam,
  fileName: fileNameSchema,
});
export type CreateImportQuery = z.output<typeof createImportQuerySchema>;

/** Query of the app's upload route (POST /api/app/leads/imports). */
export const uploadImportQuerySchema = z.object({ fileName: fileNameSchema });

/** Body of the app's preview and start routes. */
export const runImportBodySchema = z.object({
  mode: importModeSchema,
  mapping: importMappingInputSchema,
});
export type RunImportBody = z.output<typeof runImportBodySchema>;

/** Path parameters of /api/leads/imports/{id}. */
export const importIdParamsSchema = z.object({
  id: z.string().regex(/^imp_[A-Za-z0-9]{8,40}$/, { error: "must be an import id such as imp_3hT9xQ2mKp7Vd1Ls" }),
});

/** Query of GET /api/leads/export: exactly the list's filters and sort, plus an optional BOM for Excel. */
export const exportLeadsQuerySchema = listLeadsQuerySchema.extend({ bom: booleanish });
export type ExportLeadsQuery = z.output<typeof exportLeadsQuerySchema>;
