import type { NextConfig } from "next";
import { env } from "./lib/env";

const nextConfig: NextConfig = {
  distDir: env.LEADLINE_NEXT_DIST_DIR,
  poweredByHeader: false,
  reactStrictMode: true,
  // Node-only packages that must not be bundled into server chunks.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "pg-boss", "pino"],
  typedRoutes: true,
  // forbidden() renders app/forbidden.tsx with a 403 for signed-in users without the right role.
  experimental: { authInterrupts: true },
};

export default nextConfig;
