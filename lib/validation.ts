import type { z } from "zod";
import { issuesFromZod, validationError } from "@/lib/errors";
import { findTextIssue } from "@/lib/security/text";

/** Parses with a zod schema (after the text rule, lib/security/text.ts); failures become the one VALIDATION_ERROR with per-field issues. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // The text rule first: no NUL or unpaired surrogate reaches a service, whatever the schema.
  const textIssue = findTextIssue(input);
  if (textIssue) throw validationError([textIssue]);
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(issuesFromZod(result.error));
  return result.data;
}
