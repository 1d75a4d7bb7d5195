-- Managed loss reasons, the lead's link to one, and the dashboard's indexes (issue 11).
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

-- CreateIndex
CREATE INDEX "LossReason_organizationId_position_idx" ON "LossReason"("organizationId", "position");

-- CreateIndex
CREATE INDEX "Lead_organizationId_status_value_idx" ON "Lead"("organizationId", "status", "value");

-- CreateIndex
CREATE INDEX "Lead_organizationId_status_wonAt_idx" ON "Lead"("organizationId", "status", "wonAt");

-- CreateIndex
CREATE INDEX "Lead_organizationId_status_lostAt_lossReasonId_idx" ON "Lead"("organizationId", "status", "lostAt", "lossReasonId");

-- CreateIndex
CREATE INDEX "Lead_organizationId_createdAt_source_idx" ON "Lead"("organizationId", "createdAt", "source");

-- CreateIndex
CREATE INDEX "Lead_organizationId_source_idx" ON "Lead"("organizationId", "source");

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_lossReasonId_fkey" FOREIGN KEY ("lossReasonId") REFERENCES "LossReason"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LossReason" ADD CONSTRAINT "LossReason_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


