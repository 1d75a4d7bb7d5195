/** The largest CSV file an import takes (also read by next.config.ts, so no server-only imports here). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
