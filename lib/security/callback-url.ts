/**
 * Where a user goes after signing in. `callbackUrl` comes from the address bar, so it only ever
 * leads to a path on the app's own origin: anything else (absolute URLs, `//host`, backslashes,
 * control characters, and the same hidden behind %-encoding) falls back to SIGNED_IN_HOME. Pure:
 * no input throws.
 */

/** The page a user lands on after signing in when no (acceptable) callbackUrl was given. */
export const SIGNED_IN_HOME = "/dashboard";

const MAX_LENGTH = 2048;
// C0 controls, DEL and C1 controls; browsers strip tabs and newlines from URLs, so "/\t/evil" is "//evil".
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const PLACEHOLDER_ORIGIN = "http://leadline.invalid";

function unsafe(path: string): boolean {
  return !path.startsWith("/") || path.startsWith("//") || path.includes("\\") || CONTROL.test(path);
}

/** The value, and what it becomes after each round of %-decoding (null when the encoding is broken). */
function decodings(value: string): string[] | null {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3 && current.includes("%"); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
    forms.push(current);
  }
  return forms;
}

export function safeCallbackPath(value: unknown): string {
  const raw = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw !== "string" || raw === "" || raw.length > MAX_LENGTH) return SIGNED_IN_HOME;
  const forms = decodings(raw);
  if (!forms || forms.some(unsafe)) return SIGNED_IN_HOME;
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER_ORIGIN);
  } catch {
    return SIGNED_IN_HOME;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return SIGNED_IN_HOME;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return unsafe(path) ? SIGNED_IN_HOME : path;
}
