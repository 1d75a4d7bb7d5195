import { successEnvelope } from "@/lib/api/envelope";
import { importReplySchema } from "@/lib/imports/replies";
import { createImportQuerySchema, exportLeadsQuerySchema, importIdParamsSchema, IMPORT_FIELDS } from "@/lib/imports/schemas";
import { MAX_IMPORT_BYTES } from "@/lib/imports/upload";
import { apiKeyOperation, csvResponse, successResponse } from "./components";
import { inputSchema, queryParameters, type JsonSchema } from "./json-schema";
import { LIST_QUERY_DESCRIPTIONS } from "./leads";
import type { ApiSection } from "./section";

/** CSV export and import in the OpenAPI document: every schema comes from lib/imports' zod schemas. */

const TAG = "CSV import and export";

const EXPORT_QUERY_DESCRIPTIONS: Record<string, string> = {
  ...LIST_QUERY_DESCRIPTIONS,
  limit: "Ignored: the export holds every lead that the filters match",
  page: "Ignored: the export holds every lead that the filters match",
  cursor: "Ignored: the export holds every lead that the filters match",
  bom: "`true` starts the file with a UTF-8 byte-order mark, for Excel",
};

const IMPORT_QUERY_DESCRIPTIONS: Record<string, string> = {
  mode: "`create` (default): every row creates a lead. `update`: a row whose e-mail matches a lead updates it; the rest are created",
  mapping:
    'Which column feeds which lead field, as JSON (URL-encoded): `{"email":"E-mail","name":"Full name"}`. Omitted: the columns are ' +
    `recognised from their headers. Fields: ${IMPORT_FIELDS.join(", ")}`,
  fileName: "The file's name, shown in the report and in each lead's note (`Imported from <file> (row N)`); default `import.csv`",
};

/** The import's query parameters; `mapping` is a JSON object, so it is described as JSON content. */
function importQueryParameters() {
  return queryParameters(createImportQuerySchema, IMPORT_QUERY_DESCRIPTIONS).map((parameter) => {
    if (parameter.name !== "mapping") return parameter;
    const { schema, style: _style, explode: _explode, ...rest } = parameter as typeof parameter & { style?: string; explode?: boolean };
    void _style;
    void _explode;
    return { ...rest, content: { "application/json": { schema, example: { email: "E-mail", name: "Full name" } } } };
  });
}

const idParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The import's id",
  schema: (inputSchema(importIdParamsSchema).properties as Record<string, JsonSchema>).id,
  example: "imp_3hT9xQ2mKp7Vd1Ls",
};

const EXPORT_EXAMPLE =
  "id,name,email,phone,company,source,status,value,currency,loss_reason,created_at,updated_at,qualified_at,won_at,lost_at\r\n" +
  "lead_3A899r3mOWj5vPfM,Grace Hopper,grace.hopper@navalsystems.example,+1 415 555 0100,Naval Systems,webform,won,15000.50,USD,," +
  "2026-11-18T16:03:10.002Z,2026-11-26T14:40:31.855Z,2026-11-20T09:12:44.120Z,2026-11-26T14:40:31.855Z,\r\n";

const FAILED_ROWS_EXAMPLE = "Name,E-mail,import_row,import_error\r\nNobody,not-an-email,7,email: must be a valid e-mail address\r\n";

export const importsSection: ApiSection = {
  tags: [
    {
      name: TAG,
      description:
        "Export the leads of a filter as CSV, and import a CSV file of leads: the import runs in the background; poll it " +
        "for progress, then fetch the rows that failed, with the reason of each.",
    },
  ],
  replySchemas: {
    Import: importReplySchema,
    ImportReply: successEnvelope(importReplySchema),
  },
  paths: {
    "/api/leads/export": {
      get: apiKeyOperation({
        operationId: "exportLeads",
        summary: "Export leads as CSV",
        description:
          "Every lead that the filters match (the same filters and sort as GET /api/leads), as one CSV file, streamed. " +
          "Values are written as text, never as formulas.",
        tags: [TAG],
        parameters: queryParameters(exportLeadsQuerySchema, EXPORT_QUERY_DESCRIPTIONS),
        responses: { 200: csvResponse("The leads as CSV (UTF-8, a header line, then one line per lead).", EXPORT_EXAMPLE) },
        errors: { 400: undefined },
      }),
    },
    "/api/leads/imports": {
      post: apiKeyOperation({
        operationId: "createImport",
        summary: "Import leads from a CSV file",
        description:
          "Send the CSV file itself as the body (`Content-Type: text/csv`, e.g. `curl --data-binary @leads.csv`), at most " +
          `${MAX_IMPORT_BYTES / 1024 / 1024} MB; the first line names the columns. The file is stored and the import runs ` +
          "in the background: the reply is `202` with the import, whose `links.self` tells its progress. Rows are checked " +
          "with the same rules as POST and PATCH /api/leads; a bad row fails alone. This operation does not take an " +
          "`Idempotency-Key`: a retry uploads the file again as a new import.",
        tags: [TAG],
        parameters: importQueryParameters(),
        requestBody: {
          description: "The CSV file (UTF-8; a byte-order mark is skipped).",
          contentType: "text/csv",
          schema: { type: "string", examples: ["Name,E-mail,Phone\r\nAda Lovelace,ada@analytical.example,+44 20 7946 0958\r\n"] },
        },
        responses: {
          202: successResponse("The import, queued.", "ImportReply", importReplySchema),
        },
        errors: {
          400: "A bad query parameter or mapping, an empty file, a file with no rows, or a form instead of a file (`details.issues`).",
          413: `The file is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB (\`details.maxBytes\`).`,
        },
      }),
    },
    "/api/leads/imports/{id}": {
      get: apiKeyOperation({
        operationId: "getImport",
        summary: "Read an import's progress",
        description: "Its status, the rows processed so far, and how many created, updated and failed leads.",
        tags: [TAG],
        parameters: [idParameter],
        responses: { 200: successResponse("The import.", "ImportReply", importReplySchema) },
        errors: { 400: "The id is not an import id.", 404: "No import with this id in your organization." },
      }),
    },
    "/api/leads/imports/{id}/failed-rows": {
      get: apiKeyOperation({
        operationId: "getImportFailedRows",
        summary: "Download an import's failed rows as CSV",
        description:
          "The rows that failed, with the file's own columns, then `import_row` (the line's row number) and `import_error` " +
          "(why), so they can be fixed and imported again. Only a header line while none failed.",
        tags: [TAG],
        parameters: [idParameter],
        responses: { 200: csvResponse("The failed rows as CSV.", FAILED_ROWS_EXAMPLE) },
        errors: { 400: "The id is not an import id.", 404: "No import with this id in your organization." },
      }),
    },
  },
};
