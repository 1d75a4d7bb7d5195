-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "maxBulkMatches" INTEGER NOT NULL DEFAULT 10000;

-- CreateIndex
CREATE INDEX "LeadEvent_organizationId_requestId_idx" ON "LeadEvent"("organizationId", "requestId");
