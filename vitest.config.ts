import path from "node:path";
import { defineConfig } from "vitest/config";

// Run through `npm test`, which provides DATABASE_URL (a clean embedded PostgreSQL) and
// LEADLINE_TEST_BASE_URL (the production build on it).
export default defineConfig({
  // "server-only" refuses to load outside React Server Components; Vitest runs plain Node.
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
