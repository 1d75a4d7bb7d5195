/**
 * Imported first by the Node scripts (start, admin CLI, test runner, bench): they are the server
 * side, like Next.js's server, so the `server-only` guard of the database modules must resolve to
 * its empty module here too. Next.js does that with the react-server condition; this adds the same
 * condition for `server-only` alone (not for React or anything else), for every module the script
 * imports from now on. The scripts import lib/ modules dynamically, after this has run.
 */
import { register } from "node:module";

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier !== "server-only") return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
