/**
 * Escapes LIKE/ILIKE wildcards so that search treats `%`, `_` and `\` as the characters they are.
 * PostgreSQL's default escape character is the backslash, which Prisma's `contains` keeps.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
