-- AlterTable
ALTER TABLE "run_samples" ADD COLUMN     "properly_paired_reads" BIGINT NOT NULL DEFAULT 0;
