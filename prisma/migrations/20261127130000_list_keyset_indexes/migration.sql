-- Keyset pagination: every sort of the list and the lead's history are read in index order.
-- The value and name indexes end in id so a cursor (value, id) is one index range, and nulls are read as their own range.
-- DropIndex
DROP INDEX "Lead_organizationId_value_idx";

-- DropIndex
DROP INDEX "Lead_organizationId_name_idx";

-- DropIndex
DROP INDEX "LeadNote_leadId_createdAt_idx";

-- DropIndex
DROP INDEX "LeadEvent_leadId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Lead_organizationId_updatedAt_id_idx" ON "Lead"("organizationId", "updatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_organizationId_value_id_idx" ON "Lead"("organizationId", "value", "id");

-- CreateIndex
CREATE INDEX "Lead_organizationId_name_id_idx" ON "Lead"("organizationId", "name", "id");

-- CreateIndex
CREATE INDEX "LeadNote_leadId_createdAt_id_idx" ON "LeadNote"("leadId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "LeadEvent_leadId_createdAt_id_idx" ON "LeadEvent"("leadId", "createdAt" DESC, "id" DESC);
