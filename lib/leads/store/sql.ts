/**
 * The SQL of the lead store: the one column list, and every statement that reads or writes Lead,
 * LeadNote and LeadEvent on the write path, as plain text with positional parameters. The store
 * runs them through `pg` (lib/db/sql-tx), and so does the bench's raw baseline: the very same text.
 *
 * Every statement takes a fixed number of parameters, whatever the number of leads: the rows
 * travel as arrays and are expanded with `unnest`, so a bulk update of 50,000 leads is still
 * three statements with a few dozen parameters (PostgreSQL allows at most 65,535).
 *
 * No database access here, and nothing server-only: this module is text and pure functions.
 */
import { toIsoString } from "@/lib/iso-time";
import type { LeadEventRow, LeadNoteRow, LeadUpdateWrite, NewLeadRow } from "./record";

const COLUMNS = [
  "id", "name", "email", "phone", "company", "source", "status", "value", "currency", "lossReason", "lossReasonId",
  "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "version",
] as const;
/** Read as text: the enum (a plain string for any driver) and the decimal (never through a float). */
const AS_TEXT: ReadonlySet<string> = new Set(["status", "value"]);

/** The one column list of a lead (see LeadRow and leadRecordFromRow), optionally qualified by a table alias. */
export function leadColumns(alias?: string): string {
  return COLUMNS.map((column) => {
    const qualified = alias ? `${alias}."${column}"` : `"${column}"`;
    return AS_TEXT.has(column) ? `${qualified}::text AS "${column}"` : qualified;
  }).join(", ");
}

export const LEAD_COLUMNS = leadColumns();

export type MatchColumn = "id" | "emailNormalized" | "phoneNormalized";

/**
 * Locks the leads of organization $1 whose column equals $2, oldest first (one consistent order,
 * so concurrent bulk updates cannot deadlock). At most $3 rows: the caller asks for one more than
 * it accepts, so a refusal never locks more than that.
 */
export function lockMatchingSql(column: MatchColumn): string {
  return `SELECT ${LEAD_COLUMNS} FROM "Lead"
    WHERE "organizationId" = $1 AND "${column}" = $2
    ORDER BY "createdAt", "id" LIMIT $3 FOR UPDATE`;
}

/** The same match without locking (dry runs), at most $3 rows. */
export function findMatchingSql(column: MatchColumn): string {
  return `SELECT ${LEAD_COLUMNS} FROM "Lead"
    WHERE "organizationId" = $1 AND "${column}" = $2
    ORDER BY "createdAt", "id" LIMIT $3`;
}

export function countMatchingSql(column: MatchColumn): string {
  return `SELECT count(*)::int AS "count" FROM "Lead" WHERE "organizationId" = $1 AND "${column}" = $2`;
}

/**
 * One statement for a whole update: every planned lead change ($1-$11, and $33: the managed loss
 * reason each written loss reason links to), every note ($12-$18) and every event ($19-$31),
 * set-based. It returns the updated leads whose id is in $32 (the reply shows at most a page of
 * them), oldest first.
 *
 * Per lead: a NULL status/qualifiedAt/wonAt/lostAt keeps the column; value and lossReason can be
 * set to NULL, so each has its own "set" flag.
 */
export const WRITE_CHANGES_SQL = `WITH "w" AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::numeric[], $5::boolean[], $6::text[],
      $7::timestamp(3)[], $8::timestamp(3)[], $9::timestamp(3)[], $10::boolean[], $33::text[])
      AS t("id", "status", "setValue", "value", "setLossReason", "lossReason", "qualifiedAt", "wonAt", "lostAt", "bumpVersion",
        "lossReasonId")
  ), "updated" AS (
    UPDATE "Lead" l SET
      "status" = COALESCE(w."status"::"LeadStatus", l."status"),
      "value" = CASE WHEN w."setValue" THEN w."value" ELSE l."value" END,
      "lossReason" = CASE WHEN w."setLossReason" THEN w."lossReason" ELSE l."lossReason" END,
      "lossReasonId" = CASE WHEN w."setLossReason" THEN w."lossReasonId" ELSE l."lossReasonId" END,
      "qualifiedAt" = COALESCE(w."qualifiedAt", l."qualifiedAt"),
      "wonAt" = COALESCE(w."wonAt", l."wonAt"),
      "lostAt" = COALESCE(w."lostAt", l."lostAt"),
      "version" = l."version" + CASE WHEN w."bumpVersion" THEN 1 ELSE 0 END,
      "updatedAt" = $11::timestamp(3)
    FROM "w" WHERE l."id" = w."id"
    RETURNING ${leadColumns("l")}
  ), "notes" AS (
    INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "authorUserId", "authorApiKeyId", "createdAt")
    SELECT * FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::timestamp(3)[])
  ), "events" AS (
    INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId",
      "actorApiKeyId", "actorName", "source", "requestId", "noteId", "createdAt")
    SELECT e."id", e."organizationId", e."leadId", e."type", e."changes"::jsonb, e."actorType"::"ActorType", e."actorUserId",
      e."actorApiKeyId", e."actorName", e."source", e."requestId", e."noteId", e."createdAt"
    FROM unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[],
      $27::text[], $28::text[], $29::text[], $30::text[], $31::timestamp(3)[])
      AS e("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId", "actorApiKeyId", "actorName",
        "source", "requestId", "noteId", "createdAt")
  )
  SELECT * FROM "updated" WHERE "id" = ANY($32::text[]) ORDER BY "createdAt", "id"`;

/** Inserts notes and events alone (a new lead's history), set-based like WRITE_CHANGES_SQL ($1-$7 notes, $8-$20 events). */
export const INSERT_HISTORY_SQL = `WITH "notes" AS (
    INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "authorUserId", "authorApiKeyId", "createdAt")
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[])
  )
  INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId",
    "actorApiKeyId", "actorName", "source", "requestId", "noteId", "createdAt")
  SELECT e."id", e."organizationId", e."leadId", e."type", e."changes"::jsonb, e."actorType"::"ActorType", e."actorUserId",
    e."actorApiKeyId", e."actorName", e."source", e."requestId", e."noteId", e."createdAt"
  FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
    $16::text[], $17::text[], $18::text[], $19::text[], $20::timestamp(3)[])
    AS e("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId", "actorApiKeyId", "actorName",
      "source", "requestId", "noteId", "createdAt")`;

/** A new lead ($1-$19), returned in the store's column list. */
export const INSERT_LEAD_SQL = `INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "phone", "phoneNormalized",
    "company", "source", "status", "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "version", "createdAt", "updatedAt",
    "lossReasonId")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::"LeadStatus", $11::numeric, $12, $13, $14::timestamp(3), $15::timestamp(3),
    $16::timestamp(3), 1, $17::timestamp(3), $18::timestamp(3), $19)
  RETURNING ${LEAD_COLUMNS}`;

/** Timestamps travel as ISO text; the columns are timestamp(3) in UTC, as Prisma writes them. */
const ts = (d: Date | null | undefined): string | null => (d ? toIsoString(d) : null);

function noteColumns(notes: readonly LeadNoteRow[]): unknown[] {
  return [
    notes.map((n) => n.id),
    notes.map((n) => n.organizationId),
    notes.map((n) => n.leadId),
    notes.map((n) => n.body),
    notes.map((n) => n.authorUserId),
    notes.map((n) => n.authorApiKeyId),
    notes.map((n) => ts(n.createdAt)),
  ];
}

function eventColumns(events: readonly LeadEventRow[]): unknown[] {
  return [
    events.map((e) => e.id),
    events.map((e) => e.organizationId),
    events.map((e) => e.leadId),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.changes)),
    events.map((e) => e.actorType),
    events.map((e) => e.actorUserId),
    events.map((e) => e.actorApiKeyId),
    events.map((e) => e.actorName),
    events.map((e) => e.source),
    events.map((e) => e.requestId),
    events.map((e) => e.noteId),
    events.map((e) => ts(e.createdAt)),
  ];
}

/** The 33 parameters of WRITE_CHANGES_SQL. */
export function writeChangesParams(
  writes: readonly LeadUpdateWrite[],
  notes: readonly LeadNoteRow[],
  events: readonly LeadEventRow[],
  now: Date,
  returnIds: readonly string[],
): unknown[] {
  return [
    writes.map((w) => w.leadId),
    writes.map((w) => w.data.status ?? null),
    writes.map((w) => w.data.value !== undefined),
    writes.map((w) => w.data.value ?? null),
    writes.map((w) => w.data.lossReason !== undefined),
    writes.map((w) => w.data.lossReason ?? null),
    writes.map((w) => ts(w.data.qualifiedAt)),
    writes.map((w) => ts(w.data.wonAt)),
    writes.map((w) => ts(w.data.lostAt)),
    writes.map((w) => w.bumpVersion),
    ts(now),
    ...noteColumns(notes),
    ...eventColumns(events),
    [...returnIds],
    writes.map((w) => (w.data.lossReason === undefined ? null : (w.lossReasonId ?? null))),
  ];
}

/** The 20 parameters of INSERT_HISTORY_SQL. */
export function insertHistoryParams(notes: readonly LeadNoteRow[], events: readonly LeadEventRow[]): unknown[] {
  return [...noteColumns(notes), ...eventColumns(events)];
}

/**
 * Locks, for each normalised e-mail in $2 (sorted, so concurrent batches lock in one order), the
 * leads of organization $1 with that e-mail, oldest first, at most $3 per e-mail: lockMatchingSql
 * for a whole batch of e-mails in one statement. Each row carries its e-mail as "matchKey".
 */
export const LOCK_BY_EMAILS_SQL = `SELECT e."email" AS "matchKey", l.* FROM unnest($2::text[]) WITH ORDINALITY AS e("email", "ord")
  CROSS JOIN LATERAL (
    SELECT ${LEAD_COLUMNS} FROM "Lead"
    WHERE "organizationId" = $1 AND "emailNormalized" = e."email"
    ORDER BY "createdAt", "id" LIMIT $3 FOR UPDATE
  ) l
  ORDER BY e."ord", l."createdAt", l."id"`;

/**
 * Inserts many new leads ($1-$18, one array per column), their notes ($19-$25) and their events
 * ($26-$38) in one set-based statement: INSERT_LEAD_SQL and INSERT_HISTORY_SQL for a whole batch.
 */
export const INSERT_LEADS_SQL = `WITH "leads" AS (
    INSERT INTO "Lead" ("id", "organizationId", "name", "email", "emailNormalized", "phone", "phoneNormalized",
      "company", "source", "status", "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "version", "createdAt", "updatedAt",
      "lossReasonId")
    SELECT n."id", n."organizationId", n."name", n."email", n."emailNormalized", n."phone", n."phoneNormalized", n."company",
      n."source", n."status"::"LeadStatus", n."value", n."currency", n."lossReason", n."qualifiedAt", n."wonAt", n."lostAt", 1,
      n."createdAt", n."updatedAt", n."lossReasonId"
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::numeric[], $12::text[], $13::text[], $14::timestamp(3)[], $15::timestamp(3)[], $16::timestamp(3)[],
      $17::timestamp(3)[], $18::timestamp(3)[], $39::text[])
      AS n("id", "organizationId", "name", "email", "emailNormalized", "phone", "phoneNormalized", "company", "source",
        "status", "value", "currency", "lossReason", "qualifiedAt", "wonAt", "lostAt", "createdAt", "updatedAt", "lossReasonId")
  ), "notes" AS (
    INSERT INTO "LeadNote" ("id", "organizationId", "leadId", "body", "authorUserId", "authorApiKeyId", "createdAt")
    SELECT * FROM unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::timestamp(3)[])
  )
  INSERT INTO "LeadEvent" ("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId",
    "actorApiKeyId", "actorName", "source", "requestId", "noteId", "createdAt")
  SELECT e."id", e."organizationId", e."leadId", e."type", e."changes"::jsonb, e."actorType"::"ActorType", e."actorUserId",
    e."actorApiKeyId", e."actorName", e."source", e."requestId", e."noteId", e."createdAt"
  FROM unnest($26::text[], $27::text[], $28::text[], $29::text[], $30::text[], $31::text[], $32::text[], $33::text[],
    $34::text[], $35::text[], $36::text[], $37::text[], $38::timestamp(3)[])
    AS e("id", "organizationId", "leadId", "type", "changes", "actorType", "actorUserId", "actorApiKeyId", "actorName",
      "source", "requestId", "noteId", "createdAt")`;

/** The 39 parameters of INSERT_LEADS_SQL. */
export function insertLeadsParams(leads: readonly NewLeadRow[], notes: readonly LeadNoteRow[], events: readonly LeadEventRow[]): unknown[] {
  return [
    leads.map((l) => l.id),
    leads.map((l) => l.organizationId),
    leads.map((l) => l.name),
    leads.map((l) => l.email),
    leads.map((l) => l.emailNormalized),
    leads.map((l) => l.phone),
    leads.map((l) => l.phoneNormalized),
    leads.map((l) => l.company),
    leads.map((l) => l.source),
    leads.map((l) => l.data.status ?? "open"),
    leads.map((l) => l.data.value ?? null),
    leads.map((l) => l.currency),
    leads.map((l) => l.data.lossReason ?? null),
    leads.map((l) => ts(l.data.qualifiedAt)),
    leads.map((l) => ts(l.data.wonAt)),
    leads.map((l) => ts(l.data.lostAt)),
    leads.map((l) => ts(l.createdAt)),
    leads.map((l) => ts(l.createdAt)),
    ...noteColumns(notes),
    ...eventColumns(events),
    leads.map((l) => (l.data.lossReason ? l.lossReasonId : null)),
  ];
}
