-- Managed loss reasons and the lead's link to one, the dashboard's rollup (issue 11).
-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "lossReasonId" TEXT;

-- CreateTable
CREATE TABLE "LossReason" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LossReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardRollup" (
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "dim" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "DashboardRollup_pkey" PRIMARY KEY ("organizationId","kind","day","dim")
);

-- CreateTable
CREATE TABLE "DashboardDelta" (
    "id" BIGSERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "dim" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "DashboardDelta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LossReason_organizationId_position_idx" ON "LossReason"("organizationId", "position");

-- CreateIndex
CREATE INDEX "DashboardDelta_organizationId_idx" ON "DashboardDelta"("organizationId");

-- CreateIndex
CREATE INDEX "Lead_organizationId_source_idx" ON "Lead"("organizationId", "source");

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_lossReasonId_fkey" FOREIGN KEY ("lossReasonId") REFERENCES "LossReason"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LossReason" ADD CONSTRAINT "LossReason_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The dashboard's contributions of one lead: every lead counts under its status (with its value)
-- and under the day and source it was created, a won lead under the day it was won (with its
-- value), a lost lead under the day it was lost and its managed reason ("" for Other).
CREATE FUNCTION "dashboard_keys"(p_status "LeadStatus", p_value NUMERIC, p_created_at TIMESTAMP, p_won_at TIMESTAMP, p_lost_at TIMESTAMP, p_loss_reason_id TEXT, p_source TEXT)
RETURNS TABLE ("kind" TEXT, "day" DATE, "dim" TEXT, "value" NUMERIC)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'status', DATE '1970-01-01', p_status::text, coalesce(p_value, 0)
  UNION ALL SELECT 'created', p_created_at::date, p_source, 0
  UNION ALL SELECT 'won', p_won_at::date, '', coalesce(p_value, 0) WHERE p_status = 'won' AND p_won_at IS NOT NULL
  UNION ALL SELECT 'lost', p_lost_at::date, coalesce(p_loss_reason_id, ''), 0 WHERE p_status = 'lost' AND p_lost_at IS NOT NULL
$$;

-- Appends what a statement changed to "DashboardDelta": one INSERT per statement whatever the
-- write path (API, app, import), new contributions minus old ones, nothing when they cancel out
-- (a note, a name). No shared row is updated, so concurrent lead updates never wait on each other.
-- The body is an escape string with \073 for each semicolon: the schema engine that checks
-- migrations (npm run db:check) splits a migration file at every semicolon, quoted or not.
CREATE FUNCTION "dashboard_lead_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO "DashboardDelta" ("organizationId", "kind", "day", "dim", "count", "value")
    SELECT n."organizationId", k."kind", k."day", k."dim", count(*)::int, sum(k."value")
    FROM new_rows n CROSS JOIN LATERAL "dashboard_keys"(n."status", n."value", n."createdAt", n."wonAt", n."lostAt", n."lossReasonId", n."source") k
    GROUP BY 1, 2, 3, 4\073
ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO "DashboardDelta" ("organizationId", "kind", "day", "dim", "count", "value")
    SELECT o."organizationId", k."kind", k."day", k."dim", -count(*)::int, -sum(k."value")
    FROM old_rows o CROSS JOIN LATERAL "dashboard_keys"(o."status", o."value", o."createdAt", o."wonAt", o."lostAt", o."lossReasonId", o."source") k
    GROUP BY 1, 2, 3, 4\073
ELSE
    INSERT INTO "DashboardDelta" ("organizationId", "kind", "day", "dim", "count", "value")
    SELECT d."organizationId", d."kind", d."day", d."dim", sum(d."c")::int, sum(d."v")
    FROM (
      SELECT o."organizationId", k."kind", k."day", k."dim", -1 AS "c", -k."value" AS "v"
      FROM old_rows o CROSS JOIN LATERAL "dashboard_keys"(o."status", o."value", o."createdAt", o."wonAt", o."lostAt", o."lossReasonId", o."source") k
      UNION ALL
      SELECT n."organizationId", k."kind", k."day", k."dim", 1, k."value"
      FROM new_rows n CROSS JOIN LATERAL "dashboard_keys"(n."status", n."value", n."createdAt", n."wonAt", n."lostAt", n."lossReasonId", n."source") k
    ) d
    GROUP BY 1, 2, 3, 4
    HAVING sum(d."c") <> 0 OR sum(d."v") <> 0\073
END IF\073
RETURN NULL\073
END
';

CREATE TRIGGER "Lead_dashboard_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_lead_changed"();
CREATE TRIGGER "Lead_dashboard_update" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_lead_changed"();
CREATE TRIGGER "Lead_dashboard_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_lead_changed"();

-- The figures of the leads that exist already.
INSERT INTO "DashboardRollup" ("organizationId", "kind", "day", "dim", "count", "value")
SELECT l."organizationId", k."kind", k."day", k."dim", count(*)::int, sum(k."value")
FROM "Lead" l CROSS JOIN LATERAL "dashboard_keys"(l."status", l."value", l."createdAt", l."wonAt", l."lostAt", l."lossReasonId", l."source") k
GROUP BY 1, 2, 3, 4;
