import path from "node:path";
import { defineConfig } from "vitest/config";

// Run through `npm test`, which provides DATABASE_URL (a clean embedded PostgreSQL) and
// LEADLINE_TEST_BASE_URL (the production build on it).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests import server modules directly: "server-only" guards bundles, not Node processes.
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
