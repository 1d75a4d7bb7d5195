import { defineConfig } from "prisma/config";

// The Prisma CLI (generate, migrate) reads DATABASE_URL directly. The app itself resolves its
// database in lib/db/connection.ts, which also starts the embedded PostgreSQL when it is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/leadline" },
});
