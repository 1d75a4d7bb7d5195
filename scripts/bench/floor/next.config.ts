import type { NextConfig } from "next";

/**
 * The bench's framework floor: a bare Next.js app (the same Next version as Leadline, production
 * build, no Prisma, no auth library) whose one route handler runs the raw baseline's PATCH SQL
 * through `pg` (scripts/bench/raw-patch.ts). Built by the bench with `next build scripts/bench/floor`.
 */
const nextConfig: NextConfig = {
  distDir: ".next-floor",
  poweredByHeader: false,
  serverExternalPackages: ["pg"],
  // Type-checked with the rest of the repository by `npm run typecheck`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
