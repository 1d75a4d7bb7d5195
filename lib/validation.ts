import type { z } from "zod";
import { issuesFromZod, validationError } from "@/lib/errors";

/** Parses with a zod schema; failures become the one VALIDATION_ERROR with per-field issues. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(issuesFromZod(result.error));
  return result.data;
}
