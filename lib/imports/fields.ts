/**
 * The import's field and mode names, without zod: the import page's client components import
 * these (zod in the browser bundle trips the Content-Security-Policy with its eval probe).
 */

/** The lead fields a CSV column can be mapped to. */
export const IMPORT_FIELDS = ["name", "email", "phone", "company", "value", "status", "source", "lossReason", "note"] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  name: "Name",
  email: "E-mail",
  phone: "Phone",
  company: "Company",
  value: "Value",
  status: "Status",
  source: "Source",
  lossReason: "Loss reason",
  note: "Note",
};

/**
 * "create": every row creates a lead. "update": a row whose e-mail matches an existing lead
 * updates it (status, value, loss reason, note) through the update service; the rest are created.
 */
export const IMPORT_MODES = ["create", "update"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
