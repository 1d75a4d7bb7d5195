import pg from "pg";
import { generateApiKey, hashApiKey } from "@/lib/api-keys/api-keys";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone } from "@/lib/leads/normalize";

/**
 * Bulk seeding of the bench database with plain SQL (INSERT ... SELECT over generate_series), so a
 * million leads take seconds, not a million Prisma creates. Every value is a deterministic function
 * of the lead's number i, which lets the bench grow the same organization from 10k to N leads.
 *
 * - Names, companies, sources and statuses are picked from lists by a hash of i.
 * - E-mails are `first.last<k>@domain` with k = i, except that lead i shares the address of lead
 *   i-1 when i % 100 = 1 and of lead i-2 when i % 200 = 2: about 1% of addresses belong to 2-3 leads.
 * - Phones are US numbers, unique per lead, written in four human formats; phoneNormalized is E.164.
 * - Every 5th lead has a "created" event; every 10th lead (i % 10 = 3) a note and its "updated" event.
 */

export const FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Isabella", "Amara", "Chen", "Priya", "Diego", "Fatima", "Hiroshi", "Ingrid", "Kwame", "Leila", "Marco", "Nadia", "Oscar", "Rosa", "Tomás", "Yara", "Zoe", "Arjun", "Beatriz", "Daniel", "Grace", "Henrik", "Aisha", "Jonas", "Keiko", "Luca", "Maya", "Nikolai", "Omar", "Paula"];
export const LAST = ["Smith", "Johnson", "Garcia", "Martinez", "Brown", "Nguyen", "Patel", "Kim", "Okafor", "Rossi", "Müller", "Silva", "Cohen", "Andersson", "Tanaka", "Dubois", "Kowalski", "O'Brien", "Haddad", "Novak", "Lopez", "Walker", "Singh", "Park", "Mensah", "Fischer", "Moreau", "Ivanova", "Yilmaz", "Costa", "Jensen", "Hughes", "Bianchi", "Sato", "Reyes", "Schmidt", "Lindqvist", "Abebe", "Murphy", "Horvat"];
const COMPANIES = ["Northwind Traders", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports", "Soylent Labs", "Cyberdyne Systems", "Tyrell Homes", "Wonka Confections", "Pied Piper", "Massive Dynamic", "Oscorp Energy", "Blue Sun", "Gringotts Finance", "Acme Roofing", "Bluth Properties", "Dunder Mifflin"];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "northwind.example", "globex.example", "hooli.example", "initech.example", "fastmail.com"];
const AREA_CODES = ["212", "312", "415", "512", "617", "646", "702", "720", "206", "305", "404", "503", "619", "713", "801", "917"];
const SOURCES = ["webform", "api", "import", "app", "calltracker", "adplatform"];
const LOSS_REASONS = ["Chose a competitor", "No budget this year", "No response after 3 follow-ups", "Too expensive", "Project cancelled"];
const NOTES = [
  "Called, interested in the annual plan. Follow up next week.",
  "Asked for a quote for 25 seats.",
  "Demo booked for Thursday 10:00.",
  "Left a voicemail.",
  "Sent the proposal and the security questionnaire.",
  "Wants a pilot before committing.",
];

/** ASCII, lower-case form of a name for e-mail local parts ("Müller" -> "muller", "O'Brien" -> "obrien"). */
function slug(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "");
}

export interface BenchOrganization {
  organizationId: string;
  apiKeyId: string;
  apiKey: string;
}

/** The bench organization and its API key, created with plain SQL, the key hashed as the app does. */
export async function createOrganization(client: pg.ClientBase): Promise<BenchOrganization> {
  const organizationId = newId("org");
  const apiKeyId = newId("key");
  const apiKey = generateApiKey();
  await client.query(
    // A per-key limit far above what the bench sends (the default is 600 a minute).
    `INSERT INTO "Organization" ("id", "name", "slug", "defaultPhoneCountry", "currency", "apiRateLimitPerMinute", "updatedAt") VALUES ($1, 'Bench Corp', 'bench', 'US', 'USD', 100000000, now())`,
    [organizationId],
  );
  await client.query(
    `INSERT INTO "ApiKey" ("id", "organizationId", "name", "hashedKey", "suffix") VALUES ($1, $2, 'Bench key', $3, $4)`,
    [apiKeyId, organizationId, hashApiKey(apiKey), apiKey.slice(-4)],
  );
  return { organizationId, apiKeyId, apiKey };
}

/** A non-negative pseudo-random bigint for lead number `i` and salt `salt`. */
const h = (i: string, salt: number) => `(hashint8extended(${i}, ${salt}) & 2147483647)`;
/** A pseudo-random id such as `lead_3hT9xQ2mKp7Vd1Ls` (16 base64url-ish characters), deterministic in i. */
const idOf = (prefix: string, i: string) =>
  `'${prefix}_' || translate(encode(substring(sha256(convert_to('${prefix}:' || ${i}, 'UTF8')) for 12), 'base64'), '+/', 'Xz')`;
const pick = (list: string, i: string, salt: number) => `(${list})[1 + ${h(i, salt)} % array_length(${list}, 1)]`;

/** Inserts leads [from, to) with their notes and events. */
async function insertRange(client: pg.ClientBase, organizationId: string, from: number, to: number): Promise<void> {
  const params = [
    organizationId, from, to - 1,
    FIRST, LAST, FIRST.map(slug), LAST.map(slug), COMPANIES, DOMAINS, AREA_CODES, SOURCES, LOSS_REASONS,
  ];
  // $4..$12: first, last, firstSlug, lastSlug, companies, domains, areaCodes, sources, lossReasons
  await client.query(
    `INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "phone", "phoneNormalized", "company",
       "source", "status", "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "version", "createdAt", "updatedAt")
     SELECT ${idOf("lead", "i")}, $1, p.fn || ' ' || p.ln, p.email, lower(p.email),
       CASE p.fmt WHEN 0 THEN '(' || p.area || ') ' || p.exch || '-' || p.line
                  WHEN 1 THEN '+1 ' || p.area || ' ' || p.exch || ' ' || p.line
                  WHEN 2 THEN p.area || '-' || p.exch || '-' || p.line
                  ELSE p.area || p.exch || p.line END,
       '+1' || p.area || p.exch || p.line,
       CASE WHEN ${h("i", 5)} % 10 < 7 THEN ${pick("$8::text[]", "i", 6)} END,
       ${pick("$11::text[]", "i", 7)}, p.status::"LeadStatus",
       CASE WHEN ${h("i", 8)} % 10 < 7 THEN (500 + ${h("i", 9)} % 25000000 / 100.0)::numeric(14, 2) END,
       'USD',
       CASE WHEN p.status = 'lost' THEN ${pick("$12::text[]", "i", 10)} END,
       CASE WHEN p.status IN ('qualified', 'won', 'lost') THEN p.created + interval '2 days' END,
       CASE WHEN p.status = 'won' THEN p.created + interval '9 days' END,
       CASE WHEN p.status = 'lost' THEN p.created + interval '9 days' END,
       CASE p.status WHEN 'open' THEN 1 WHEN 'qualified' THEN 2 ELSE 3 END,
       p.created,
       p.created + CASE p.status WHEN 'open' THEN interval '0' WHEN 'qualified' THEN interval '2 days' ELSE interval '9 days' END
     FROM generate_series($2::bigint, $3::bigint) AS i
     CROSS JOIN LATERAL (
       SELECT q.*,
         ${pick("$4::text[]", "q.ek", 1)} AS fn, ${pick("$5::text[]", "q.ek", 2)} AS ln,
         ${pick("$6::text[]", "q.ek", 1)} || '.' || ${pick("$7::text[]", "q.ek", 2)} || q.ek || '@' || ${pick("$9::text[]", "q.ek", 3)} AS email,
         ($10::text[])[1 + i % array_length($10::text[], 1)] AS area,
         (200 + (i / array_length($10::text[], 1) / 10000) % 800)::text AS exch,
         lpad(((i / array_length($10::text[], 1)) % 10000)::text, 4, '0') AS line,
         ${h("i", 11)} % 4 AS fmt,
         CASE WHEN ${h("i", 4)} % 100 < 50 THEN 'open' WHEN ${h("i", 4)} % 100 < 70 THEN 'qualified'
              WHEN ${h("i", 4)} % 100 < 85 THEN 'won' ELSE 'lost' END AS status,
         timestamp '2026-11-20 12:00' - (i * interval '1 minute') - (${h("i", 12)} % 50) * interval '1 second' AS created
       FROM (SELECT CASE WHEN i % 100 = 1 THEN i - 1 WHEN i % 200 = 2 THEN i - 2 ELSE i END AS ek) q
     ) p`,
    params,
  );

  // "created" events for every 5th lead.
  await client.query(
    `INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorName", "source", "createdAt")
     SELECT ${idOf("evt", "'c' || i")}, $1, ${idOf("lead", "i")}, 'created', '{"status": {"from": null, "to": "open"}}'::jsonb,
       'system', 'Bench seed', 'import', timestamp '2026-11-20 12:00' - (i * interval '1 minute')
     FROM generate_series($2::bigint, $3::bigint) AS i WHERE i % 5 = 0`,
    [organizationId, from, to - 1],
  );
  // A note and its "updated" event for every 10th lead.
  await client.query(
    `WITH notes AS (
       INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "createdAt")
       SELECT ${idOf("note", "i")}, $1, ${idOf("lead", "i")}, ${pick("$4::text[]", "i", 13)},
         timestamp '2026-11-20 12:00' - (i * interval '1 minute') + interval '1 day'
       FROM generate_series($2::bigint, $3::bigint) AS i WHERE i % 10 = 3
       RETURNING "id", "leadId", "createdAt")
     INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorName", "source", "noteId", "createdAt")
     SELECT 'evt_n' || substring(n."id" from 6), $1, n."leadId", 'updated', '{}'::jsonb, 'system', 'Bench seed', 'import', n."id", n."createdAt"
     FROM notes n`,
    [organizationId, from, to - 1, NOTES],
  );
}

const TABLES = `('Lead', 'LeadNote', 'LeadEvent')`;

interface Schema {
  indexes: { name: string; table: string; definition: string }[];
  foreignKeys: { name: string; table: string; definition: string }[];
}

/** Secondary indexes and foreign keys of the lead tables, exactly as the migrations made them. */
async function readSchema(client: pg.ClientBase): Promise<Schema> {
  const indexes = await client.query<{ name: string; table: string; definition: string }>(
    `SELECT indexname AS name, tablename AS table, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN ${TABLES} AND indexname NOT LIKE '%\\_pkey'`,
  );
  const foreignKeys = await client.query<{ name: string; table: string; definition: string }>(
    `SELECT c.conname AS name, t.relname AS table, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     WHERE c.contype = 'f' AND t.relname IN ${TABLES}`,
  );
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/** Runs the statements on the clients in parallel, each client taking the next statement. */
async function runParallel(clients: pg.ClientBase[], statements: string[]): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    clients.map(async (client) => {
      for (let statement = queue.shift(); statement !== undefined; statement = queue.shift()) await client.query(statement);
    }),
  );
}

export interface SeedOptions {
  databaseUrl: string;
  organizationId: string;
  from: number;
  to: number;
  /** Drop the secondary indexes and foreign keys first and rebuild them after: much faster for big ranges. */
  rebuildIndexes: boolean;
  /** Connections that insert and build indexes in parallel (one per core is right). */
  parallel: number;
  log: (line: string) => void;
}

/** Inserts leads [from, to) and leaves the tables vacuumed and analysed. */
export async function seedLeads(options: SeedOptions): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: options.parallel }, async () => {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      await client.query(`SET maintenance_work_mem = '512MB'`);
      await client.query(`SET synchronous_commit = off`);
      return client;
    }),
  );
  const [main] = clients;
  if (!main) throw new Error("parallel must be at least 1");
  try {
    let schema: Schema | null = null;
    if (options.rebuildIndexes) {
      schema = await readSchema(main);
      // One transaction that locks the tables in the app's order (Lead first), so a request the
      // server is still finishing cannot deadlock with the drops.
      // Dropping a foreign key also locks the table it references, which the server's background
      // work (job sweeps) may hold: a deadlock there rolls the drops back, and they run again.
      const foundSchema = schema;
      for (let attempt = 1; ; attempt++) {
        try {
          await main.query(`BEGIN`);
          await main.query(`LOCK TABLE "Lead", "LeadNote", "LeadEvent" IN ACCESS EXCLUSIVE MODE`);
          for (const fk of foundSchema.foreignKeys) await main.query(`ALTER TABLE "${fk.table}" DROP CONSTRAINT "${fk.name}"`);
          for (const index of foundSchema.indexes) await main.query(`DROP INDEX "${index.name}"`);
          await main.query(`COMMIT`);
          break;
        } catch (error) {
          await main.query(`ROLLBACK`);
          if ((error as { code?: unknown }).code !== "40P01" || attempt >= 5) throw error;
          options.log(`  deadlock while dropping the indexes (attempt ${attempt}); again`);
        }
      }
    }

    let started = Date.now();
    const count = options.to - options.from;
    const chunk = Math.ceil(count / clients.length);
    await Promise.all(
      clients.map((client, n) => {
        const from = options.from + n * chunk;
        const to = Math.min(options.to, from + chunk);
        return from < to ? insertRange(client, options.organizationId, from, to) : Promise.resolve();
      }),
    );
    options.log(`  inserted ${count.toLocaleString("en-US")} leads with notes and events in ${((Date.now() - started) / 1000).toFixed(1)}s`);

    if (schema) {
      started = Date.now();
      // Biggest first (the trigram indexes), so the two connections finish together.
      const ordered = [...schema.indexes].sort((a, b) => Number(b.definition.includes("gin")) - Number(a.definition.includes("gin")));
      await runParallel(clients, ordered.map((index) => index.definition));
      // One at a time: adding a foreign key locks both tables, so parallel adds can deadlock.
      for (const fk of schema.foreignKeys) await main.query(`ALTER TABLE "${fk.table}" ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
      options.log(`  rebuilt ${schema.indexes.length} indexes and ${schema.foreignKeys.length} foreign keys in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }

    started = Date.now();
    await runParallel(clients, [`VACUUM (ANALYZE) "Lead"`, `VACUUM (ANALYZE) "LeadEvent"`, `VACUUM (ANALYZE) "LeadNote"`]);
    await main.query("CHECKPOINT");
    options.log(`  VACUUM ANALYZE and CHECKPOINT in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** Checks on a sample that the normalised columns hold exactly what the app computes. */
export async function verifyNormalization(client: pg.ClientBase): Promise<void> {
  const sample = await client.query<{ email: string; emailNormalized: string; phone: string; phoneNormalized: string }>(
    `SELECT "email", "emailNormalized", "phone", "phoneNormalized" FROM "Lead" TABLESAMPLE BERNOULLI (1) LIMIT 2000`,
  );
  for (const row of sample.rows) {
    const email = normalizeEmail(row.email);
    const phone = normalizePhone(row.phone, "US");
    if (!email.ok || email.value !== row.emailNormalized) throw new Error(`Seeded e-mail ${row.email} does not normalise to ${row.emailNormalized}`);
    if (!phone.ok || phone.value !== row.phoneNormalized) throw new Error(`Seeded phone ${row.phone} does not normalise to ${row.phoneNormalized}`);
  }
}
