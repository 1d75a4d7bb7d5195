-- CSV imports (issue 12): the import and its rows, kept in PostgreSQL so a job survives a restart.
-- CreateEnum
CREATE TYPE "LeadImportStatus" AS ENUM ('draft', 'queued', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "LeadImportMode" AS ENUM ('create', 'update');

-- CreateTable
CREATE TABLE "LeadImport" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "mapping" JSONB,
    "mode" "LeadImportMode" NOT NULL DEFAULT 'create',
    "status" "LeadImportStatus" NOT NULL DEFAULT 'draft',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "updatedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "actorType" "ActorType" NOT NULL,
    "actorUserId" TEXT,
    "actorApiKeyId" TEXT,
    "actorName" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LeadImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeadImportRow" (
    "importId" TEXT NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "cells" JSONB NOT NULL,
    "outcome" TEXT,
    "leadId" TEXT,
    "error" TEXT,

    CONSTRAINT "LeadImportRow_pkey" PRIMARY KEY ("importId","rowNumber")
);

-- CreateIndex
CREATE INDEX "LeadImport_organizationId_createdAt_idx" ON "LeadImport"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "LeadImport_status_leaseUntil_idx" ON "LeadImport"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "LeadImportRow_importId_outcome_idx" ON "LeadImportRow"("importId", "outcome");

-- AddForeignKey
ALTER TABLE "LeadImport" ADD CONSTRAINT "LeadImport_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadImportRow" ADD CONSTRAINT "LeadImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "LeadImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

