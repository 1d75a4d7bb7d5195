import type { OrganizationSettings } from "@/lib/auth/actor";
import { issuesFromZod, type FieldIssue } from "@/lib/errors";
import { normalizeEmail, normalizePhone } from "@/lib/leads/normalize";
import { createLeadBodySchema, type CreateLeadBody } from "@/lib/leads/schemas";
import { unescapeFormula } from "./csv-format";
import type { ColumnMapping } from "./mapping";
import { IMPORT_FIELDS, type ImportField } from "./schemas";

/**
 * One CSV row checked with the API's own rules: the mapped cells go through the body schema of
 * POST /api/leads and the phone through the same normaliser as the create service, so a row fails
 * with exactly the message the API would give (e.g. "value: must not be negative").
 */

export type MappedRow = Partial<Record<ImportField, string>>;

export type RowCheck =
  | { ok: true; input: CreateLeadBody; issues: [] }
  | { ok: false; issues: FieldIssue[]; message: string };

/** The mapped cells of a row, trimmed; empty cells are left out (absent, as in the API). */
export function mapRow(cells: readonly unknown[], mapping: ColumnMapping): MappedRow {
  const row: MappedRow = {};
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    if (index === undefined) continue;
    const cell = cells[index];
    if (typeof cell !== "string") continue;
    const value = unescapeFormula(cell.trim());
    if (value !== "") row[field] = value;
  }
  return row;
}

/** The message of a failed row: every issue, "field: message", joined. */
export function issuesMessage(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ");
}

export function checkRow(row: MappedRow, organization: Pick<OrganizationSettings, "defaultPhoneCountry">): RowCheck {
  const parsed = createLeadBodySchema.safeParse(row);
  const issues: FieldIssue[] = parsed.success ? [] : issuesFromZod(parsed.error);
  // The schema's own e-mail check runs only once the other fields pass; a row gets all its problems at once.
  if (!parsed.success && row.email !== undefined && !issues.some((i) => i.field === "email")) {
    const email = normalizeEmail(row.email);
    if (!email.ok) issues.push({ field: "email", message: email.message });
  }
  // The create service's phone rule (the schema only checks the length).
  const phone = row.phone;
  if (phone !== undefined && !issues.some((i) => i.field === "phone")) {
    const normalized = normalizePhone(phone, organization.defaultPhoneCountry);
    if (!normalized.ok) issues.push({ field: "phone", message: normalized.message });
  }
  if (!parsed.success || issues.length > 0) {
    // A blank row, or one whose mapped cells are all empty, says so plainly.
    if (Object.keys(row).length === 0) {
      const blank = [{ field: "", message: "The row has no value in the mapped columns" }];
      return { ok: false, issues: blank, message: issuesMessage(blank) };
    }
    // In the order of the fields, so a row's message reads the same every time.
    const rank = (field: string) => {
      const i = (IMPORT_FIELDS as readonly string[]).indexOf(field);
      return i < 0 ? -1 : i;
    };
    issues.sort((a, b) => rank(a.field) - rank(b.field));
    return { ok: false, issues, message: issuesMessage(issues) };
  }
  return { ok: true, input: parsed.data, issues: [] };
}
