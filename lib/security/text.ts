import type { FieldIssue } from "@/lib/errors";

/**
 * The one text rule for every string that reaches the database (body fields, query parameters,
 * path ids, server-action arguments): PostgreSQL cannot store a NUL character, and an unpaired
 * UTF-16 surrogate is not valid Unicode (UTF-8 cannot encode it). Either is refused with a 400
 * naming the field, before any service runs.
 */

/** Deeper JSON than this is refused rather than walked (no request of the API nests more than 3). */
export const MAX_NESTING_DEPTH = 32;

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string cannot be stored, or null when it can. */
export function textProblem(value: string): string | null {
  if (NUL.test(value)) return "must not contain a NUL character (U+0000)";
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode text (it contains an unpaired surrogate)";
  return null;
}

function join(path: string, key: string | number): string {
  return path === "" ? String(key) : `${path}.${key}`;
}

/**
 * The first string (or object key) in `input` that breaks the text rule, as a field issue named
 * by its path (`note`, `match.email`, `tags.2`); or null. Walks objects and arrays up to
 * MAX_NESTING_DEPTH.
 */
export function findTextIssue(input: unknown, path = "", depth = 0): FieldIssue | null {
  if (typeof input === "string") {
    const problem = textProblem(input);
    return problem ? { field: path, message: problem } : null;
  }
  if (typeof input !== "object" || input === null) return null;
  if (depth >= MAX_NESTING_DEPTH) return { field: path, message: `must not be nested more than ${MAX_NESTING_DEPTH} levels deep` };
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      const issue = findTextIssue(input[i], join(path, i), depth + 1);
      if (issue) return issue;
    }
    return null;
  }
  for (const [key, value] of Object.entries(input)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { field: join(path, key.replace(/[\u0000\uD800-\uDFFF]/g, "\uFFFD")), message: `field name ${keyProblem}` };
    const issue = findTextIssue(value, join(path, key), depth + 1);
    if (issue) return issue;
  }
  return null;
}
