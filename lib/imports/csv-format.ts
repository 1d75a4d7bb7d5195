import Papa from "papaparse";

/**
 * CSV writing for exports: RFC 4180 (CRLF line ends, quotes doubled, fields with a delimiter,
 * quote or line break quoted) through papaparse, with spreadsheet formula injection defused:
 * a cell that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
 * Excel, LibreOffice and Google Sheets show it as text instead of running it.
 */

export const UTF8_BOM = "\ufeff";

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet may safely open it. */
export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Undoes escapeFormula on import, so an exported file imports back as it was ("'+1 415…" is a
 * phone again). Only an apostrophe followed by one of the escaped characters is removed.
 */
export function unescapeFormula(cell: string): string {
  return cell.length > 1 && cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export type CsvCell = string | number | null | undefined;

/** CSV lines (each ending in CRLF) of the given rows. */
export function toCsvLines(rows: readonly (readonly CsvCell[])[]): string {
  if (rows.length === 0) return "";
  const text = Papa.unparse(
    rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : escapeFormula(String(cell))))),
    { newline: "\r\n", quotes: false, escapeFormulae: false, header: false },
  );
  return `${text}\r\n`;
}
