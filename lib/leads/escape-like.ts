/** Escapes LIKE/ILIKE wildcards (`%`, `_`) and the escape character (`\`) so a search term matches literally. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
