import fs from "node:fs";
import path from "node:path";
/** Calls the running production build (LEADLINE_TEST_BASE_URL, set by `npm test`). */

export function baseUrl(): string {
  const url = process.env.LEADLINE_TEST_BASE_URL;
  if (!url) throw new Error("LEADLINE_TEST_BASE_URL is not set: run the suite with `npm test`");
  return url;
}

export interface ApiReply {
  status: number;
  headers: Headers;
  // The envelope is checked by the tests themselves.
  body: {
    success: boolean;
    data?: unknown;
    error?: { code: string; message: string; details: unknown };
    meta: { requestId: string; timestamp: string; pagination?: unknown };
  };
}

export async function api(
  method: string,
  path: string,
  options: { key?: string | null; cookie?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiReply> {
  // As the app's own pages send them: same origin, and JSON for anything that changes data (CSRF rule).
  const headers: Record<string, string> = { Origin: baseUrl(), ...options.headers };
  if (options.key) headers["X-API-KEY"] = options.key;
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.body !== undefined || options.rawBody !== undefined || !["GET", "HEAD"].includes(method)) headers["Content-Type"] ??= "application/json";
  const send = () =>
    fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    // A kept-alive connection that the server closed while idle (its keep-alive timeout passed
    // during a slow step of the test) fails before the request is read: sending again is safe.
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code !== "UND_ERR_SOCKET") throw error;
    response = await send();
  }
  const text = await response.text();
  let body: ApiReply["body"];
  try {
    body = JSON.parse(text) as ApiReply["body"];
  } catch {
    throw new Error(`${method} ${path} answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Signs in through next-auth's credentials flow, as the sign-in form does; returns the session cookie header. */
export async function signIn(email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  return session ? session.split(";")[0]! : null;
}

export const patchLeads = (key: string, body: unknown) => api("PATCH", "/api/leads", { key, body });

/** The id of a server action in the running build (its server-reference-manifest), by exported name. */
export function serverActionId(exportedName: string): string {
  const manifestPath = path.join(process.cwd(), process.env.LEADLINE_NEXT_DIST_DIR ?? ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { node: Record<string, { exportedName: string }> };
  const id = Object.entries(manifest.node).find(([, action]) => action.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`Server action ${exportedName} is not in ${manifestPath}`);
  return id;
}

/** Calls a server action as the page's form does; the status and the RSC reply's text. */
export async function callServerAction(pagePath: string, exportedName: string, args: unknown[], cookie: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl()}${pagePath}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: baseUrl(), "Next-Action": serverActionId(exportedName), Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
    body: JSON.stringify(args),
  });
  return { status: response.status, text: await response.text() };
}
