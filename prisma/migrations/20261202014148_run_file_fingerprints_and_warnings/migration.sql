-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RunFileState" ADD VALUE 'FAILED';
ALTER TYPE "RunFileState" ADD VALUE 'SKIPPED';

-- AlterTable
ALTER TABLE "variants" ADD COLUMN     "file_arrived_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "run_files" ADD COLUMN     "file" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "fingerprints" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "reason_code" TEXT;

-- CreateTable
CREATE TABLE "run_warnings" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "file" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_warnings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_warnings_run_id_id_idx" ON "run_warnings"("run_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "run_warnings_run_id_at_code_file_key" ON "run_warnings"("run_id", "at", "code", "file");

-- AddForeignKey
ALTER TABLE "run_warnings" ADD CONSTRAINT "run_warnings_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
