-- CreateEnum
CREATE TYPE "InterpretationState" AS ENUM ('PENDING', 'DONE', 'REJECTED');

-- AlterTable
ALTER TABLE "variants" ADD COLUMN     "interpretation_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "interpretation_state" "InterpretationState" NOT NULL DEFAULT 'PENDING';

-- CreateIndex
CREATE INDEX "variants_interpretation_state_status_id_idx" ON "variants"("interpretation_state", "status", "id");
