import type { NextConfig } from "next";
import { env } from "./lib/env";

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
  experimental: { authInterrupts: true },
};

export default nextConfig;
