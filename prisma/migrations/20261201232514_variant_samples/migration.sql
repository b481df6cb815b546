-- DropIndex
DROP INDEX "variants_run_id_contig_position_ref_alt_key";

-- AlterTable
ALTER TABLE "variants" ADD COLUMN     "sample" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE UNIQUE INDEX "variants_run_id_contig_position_ref_alt_sample_key" ON "variants"("run_id", "contig", "position", "ref", "alt", "sample");

-- Calls stored before runs held several samples belong to the run's one sample.
UPDATE "variants" AS v SET "sample" = s."name" FROM "run_samples" AS s WHERE s."run_id" = v."run_id";
