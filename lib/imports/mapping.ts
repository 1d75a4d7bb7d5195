import { AppError, validationError } from "@/lib/errors";
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, type ImportField, type ImportMappingInput } from "./schemas";

/** A mapping resolved against a file's header row: lead field -> column index. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** Lower-case letters and digits only, so "E-mail", "e_mail" and "EMAIL " compare equal. */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** Headers recognised for each field (compared by headerKey). The first match in the file wins. */
const SYNONYMS: Record<ImportField, string[]> = {
  name: ["name", "fullname", "contact", "contactname", "leadname", "person"],
  email: ["email", "emailaddress", "mail", "emails"],
  phone: ["phone", "phonenumber", "telephone", "tel", "mobile", "cell", "cellphone"],
  company: ["company", "companyname", "organization", "organisation", "account", "business"],
  value: ["value", "amount", "dealvalue", "dealamount", "dealsize", "revenue", "price"],
  status: ["status", "stage", "leadstatus"],
  source: ["source", "leadsource", "channel", "origin"],
  lossReason: ["lossreason", "lostreason", "reasonlost", "reason"],
  note: ["note", "notes", "comment", "comments", "description"],
};

/** Recognises the common headers; each column is used for at most one field. */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const keys = headers.map(headerKey);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = keys.findIndex((key, i) => key === synonym && !used.has(i));
      if (index >= 0) {
        mapping[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}

/** The mapping as header names, as the API and the page show it. */
export function mappingToHeaders(mapping: ColumnMapping, headers: readonly string[]): Partial<Record<ImportField, string>> {
  const out: Partial<Record<ImportField, string>> = {};
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    if (index !== undefined && headers[index] !== undefined) out[field] = headers[index];
  }
  return out;
}

/**
 * Resolves a client's mapping (field -> header name) against the file's headers. Header names
 * match exactly first, then by headerKey. Unknown headers and one column used twice are refused.
 */
export function resolveMapping(input: ImportMappingInput, headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const issues: { field: string; message: string }[] = [];
  const usedBy = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const header = input[field];
    if (header === undefined || header === null || header === "") continue;
    let index = headers.indexOf(header);
    if (index < 0) index = headers.findIndex((h) => headerKey(h) === headerKey(header) && headerKey(h) !== "");
    if (index < 0) {
      issues.push({ field: `mapping.${field}`, message: `the file has no column "${header}"` });
      continue;
    }
    const other = usedBy.get(index);
    if (other) {
      issues.push({ field: `mapping.${field}`, message: `column "${header}" is already mapped to ${IMPORT_FIELD_LABELS[other]}` });
      continue;
    }
    usedBy.set(index, field);
    mapping[field] = index;
  }
  if (issues.length > 0) throw validationError(issues);
  if (mapping.name === undefined && mapping.email === undefined && mapping.phone === undefined) {
    throw new AppError("VALIDATION_ERROR", "mapping: map a column to at least one of name, e-mail or phone", {
      issues: [{ field: "mapping", message: "map a column to at least one of name, e-mail or phone" }],
    });
  }
  return mapping;
}

/** A stored mapping (JSON) read back; anything unexpected is dropped. */
export function readStoredMapping(stored: unknown): ColumnMapping {
  const mapping: ColumnMapping = {};
  if (typeof stored !== "object" || stored === null) return mapping;
  for (const field of IMPORT_FIELDS) {
    const index = (stored as Record<string, unknown>)[field];
    if (typeof index === "number" && Number.isInteger(index) && index >= 0) mapping[field] = index;
  }
  return mapping;
}
