-- The list orders by createdAt DESC, id DESC: indexes in that exact order avoid an incremental sort.
-- DropIndex
DROP INDEX "Lead_organizationId_createdAt_id_idx";

-- DropIndex
DROP INDEX "Lead_organizationId_status_createdAt_id_idx";

-- CreateIndex
CREATE INDEX "Lead_organizationId_createdAt_id_idx" ON "Lead"("organizationId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_organizationId_status_createdAt_id_idx" ON "Lead"("organizationId", "status", "createdAt" DESC, "id" DESC);

