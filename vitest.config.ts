import path from "node:path";
import { defineConfig } from "vitest/config";

// Run through `npm test`, which provides DATABASE_URL (a clean embedded PostgreSQL) and
// LEADLINE_TEST_BASE_URL (the production build on it).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests run on the server side: the guard that keeps database modules out of browser bundles
      // resolves to its empty module here, as it does under Next.js's react-server condition.
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
