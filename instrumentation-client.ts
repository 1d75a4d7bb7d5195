import { z } from "zod";

/**
 * Runs in the browser before the app's own code. zod's first object parse probes for eval
 * (`Function("")`) to compile faster parsers; the pages' Content-Security-Policy forbids eval, so
 * the probe would be a CSP violation. Interpreted parsing needs no eval, and the forms' schemas are small.
 */
z.config({ jitless: true });
