import type { NextConfig } from "next";
import { env } from "./lib/env";
import { MAX_IMPORT_BYTES } from "./lib/imports/limits";

const nextConfig: NextConfig = {
  distDir: env.LEADLINE_NEXT_DIST_DIR,
  // The container image runs the standalone server (.next/standalone/server.js); `npm start` and
  // the tests run `next start`, which warns about standalone output, so it is opt-in (Dockerfile).
  output: env.LEADLINE_STANDALONE_BUILD ? "standalone" : undefined,
  // The migrations travel with the build: /api/ready compares them with the database, and the
  // server applies them at start when LEADLINE_MIGRATE_ON_START=true.
  outputFileTracingIncludes: { "/*": ["./prisma/migrations/**/*"] },
  poweredByHeader: false,
  reactStrictMode: true,
  // Node-only packages that must not be bundled into server chunks.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "pg-boss", "pino"],
  typedRoutes: true,
  // forbidden() renders app/forbidden.tsx with a 403 for signed-in users without the right role.
  experimental: {
    authInterrupts: true,
    // proxy.ts runs before every route, and Next.js hands a route at most this much of a body that
    // passed through it (10 MB by default, silently cut). CSV imports take up to 50 MB: a little
    // more passes, so an oversized file still reaches the import's own 413 check.
    proxyClientMaxBodySize: MAX_IMPORT_BYTES + 1024 * 1024,
  },
};

export default nextConfig;
