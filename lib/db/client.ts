import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

/**
 * The one Prisma client of a process. Secret columns are omitted unless a query asks for them.
 * In development, Next.js reloads modules; the client is kept on globalThis so reloads do not
 * open new pools.
 */
let databaseUrlOverride: string | undefined;

/**
 * For Node scripts (start, admin CLI, tests, bench) that resolve the database at run time, e.g.
 * by starting the embedded PostgreSQL. Must be called before the first query.
 */
export function setDatabaseUrl(url: string): void {
  databaseUrlOverride = url;
}

/** The connection string of this process's database; shared by Prisma and the job queue. */
export function databaseUrl(): string {
  const connectionString = databaseUrlOverride ?? env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      "DATABASE_URL is not set. Start Leadline with `npm start` (it runs the embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return connectionString;
}

function createPrismaClient(): PrismaClient {
  const connectionString = databaseUrl();
  const adapter = new PrismaPg({ connectionString, max: env.LEADLINE_DB_POOL_SIZE });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiKey: { hashedKey: true } },
  });
}

const globalForPrisma = globalThis as unknown as { leadlinePrisma?: PrismaClient };

function getPrismaClient(): PrismaClient {
  globalForPrisma.leadlinePrisma ??= createPrismaClient();
  return globalForPrisma.leadlinePrisma;
}

/**
 * Created on first use rather than at import, so that `next build` can load route modules
 * without a database.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrismaClient();
    const value: unknown = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectPrisma(): Promise<void> {
  const client = globalForPrisma.leadlinePrisma;
  globalForPrisma.leadlinePrisma = undefined;
  await client?.$disconnect();
}

export type TransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
