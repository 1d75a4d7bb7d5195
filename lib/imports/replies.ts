import { z } from "zod";
import { LeadImportStatus } from "@/lib/generated/prisma/enums";
import type { ImportDto } from "./imports";
import { IMPORT_FIELDS, IMPORT_MODES } from "./schemas";

/**
 * The reply of the import API (POST /api/leads/imports, GET /api/leads/imports/{id}) as a zod
 * schema: the serializer's type is checked against it at compile time (below), and the OpenAPI
 * document (lib/openapi/imports.ts) is generated from it.
 */

const timestamp = z.iso.datetime();
const IMPORT_STATUSES = Object.values(LeadImportStatus) as [LeadImportStatus, ...LeadImportStatus[]];

export const importReplySchema = z
  .object({
    id: z.string().meta({ description: "The import's id", examples: ["imp_3hT9xQ2mKp7Vd1Ls"] }),
    fileName: z.string().meta({ examples: ["leads.csv"] }),
    status: z.enum(IMPORT_STATUSES).meta({ description: "queued, then running, then completed or failed (draft: uploaded in the app, not started)" }),
    mode: z.enum(IMPORT_MODES).meta({ description: "create: every row creates a lead; update: a row whose e-mail matches updates that lead" }),
    headers: z.array(z.string()).meta({ description: "The file's column headers" }),
    mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.string()).meta({ description: "Lead field -> column header" }),
    totalRows: z.number().int().min(0),
    processedRows: z.number().int().min(0),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
    failed: z.number().int().min(0).meta({ description: "Rows refused; GET `links.failedRows` lists each with its reason" }),
    error: z.string().nullable().meta({ description: "Why the import as a whole failed, or null" }),
    createdBy: z.string().meta({ description: "The API key or user that started it" }),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    links: z.object({
      self: z.string().meta({ description: "Poll this for progress" }),
      failedRows: z.string().meta({ description: "The failed rows as CSV, with the reason of each" }),
    }),
  })
  .meta({
    description: "A CSV import: its progress, counts and the links of its report",
    examples: [
      {
        id: "imp_3hT9xQ2mKp7Vd1Ls",
        fileName: "leads.csv",
        status: "completed",
        mode: "create",
        headers: ["Name", "E-mail", "Phone"],
        mapping: { name: "Name", email: "E-mail", phone: "Phone" },
        totalRows: 120,
        processedRows: 120,
        created: 118,
        updated: 0,
        failed: 2,
        error: null,
        createdBy: "Zapier",
        createdAt: "2026-11-26T14:40:31.855Z",
        startedAt: "2026-11-26T14:40:32.010Z",
        finishedAt: "2026-11-26T14:40:33.402Z",
        links: { self: "/api/leads/imports/imp_3hT9xQ2mKp7Vd1Ls", failedRows: "/api/leads/imports/imp_3hT9xQ2mKp7Vd1Ls/failed-rows" },
      },
    ],
  });

export type ImportReply = z.output<typeof importReplySchema>;

// Compile-time check: the serializer (toImportDto plus links) produces exactly what the schema says.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const importMatches: Same<ImportDto & { links: { self: string; failedRows: string } }, ImportReply> = true;
void importMatches;
