import { z } from "zod";

/**
 * Every environment variable Leadline reads, validated once. Nothing else reads process.env.
 * Documented in .env.example.
 */
const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Any PostgreSQL. When unset, Leadline runs an embedded PostgreSQL 17 (see LEADLINE_PG_DIR). */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Data folder of the embedded PostgreSQL. Must be reachable by the `postgres` user when run as root. */
  LEADLINE_PG_DIR: z.string().trim().min(1).default(".data/postgres"),
  /** Port of the embedded PostgreSQL (loopback only). */
  LEADLINE_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Database name used inside the embedded PostgreSQL. */
  LEADLINE_PG_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("leadline"),
  /**
   * Seed the demo organization on first start (only when the database has no organization).
   * Unset: only on the embedded PostgreSQL, never on a DATABASE_URL.
   */
  LEADLINE_SEED_DEMO: booleanish.optional(),
  /** Size of the PostgreSQL connection pool of one app process. */
  LEADLINE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Send the SQL stores' statements as named (prepared) statements; off for a pooler that cannot keep them (PgBouncer before 1.21). */
  LEADLINE_DB_PREPARED_STATEMENTS: booleanish.default(true),
  /** Run background job workers (webhooks, imports) in this app process. */
  LEADLINE_JOB_WORKERS: booleanish.default(true),
  /** Behind a TLS proxy: take the client's IP from the last X-Forwarded-For entry (see lib/security/client-ip.ts). */
  LEADLINE_TRUST_PROXY: booleanish.default(false),
  /** Requests per minute of one signed-in user over the app's session routes and server actions. */
  LEADLINE_RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests per minute of one client IP to the API without valid credentials. */
  LEADLINE_RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Let webhook URLs reach loopback, private and link-local addresses, over http too. Tests and local development only. */
  LEADLINE_WEBHOOKS_ALLOW_PRIVATE: booleanish.default(false),
  /** First webhook retry delay; later ones double (with jitter) up to 24 hours. Tests make it short. */
  LEADLINE_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** HTTP port of the app. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Build folder of Next.js; lets several checkouts' builds (app, tests, bench) live side by side. */
  LEADLINE_NEXT_DIST_DIR: z.string().trim().regex(/^\.next[\w.-]*$/, "must start with .next").default(".next"),
  /** Secret for session cookies. `npm start` generates one under .data/ when unset. */
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /** Public URL of the app, used by next-auth for redirects. */
  NEXTAUTH_URL: z.string().url().optional(),
  /** Level of the JSON log lines (pino) on stdout: one per API request, plus errors. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** On SIGTERM: how long in-flight requests and running jobs may take before the process exits anyway. */
  LEADLINE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** Apply pending migrations when the server starts (advisory lock: one instance applies, the others wait). */
  LEADLINE_MIGRATE_ON_START: booleanish.default(false),
  /** `next build` writes a standalone server (.next/standalone) for the container image. */
  LEADLINE_STANDALONE_BUILD: booleanish.default(false),
});

export type Env = z.infer<typeof envSchema>;

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = readEnv();
