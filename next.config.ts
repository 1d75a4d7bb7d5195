import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Node-only packages that must not be bundled into server chunks.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs"],
  typedRoutes: true,
};

export default nextConfig;
