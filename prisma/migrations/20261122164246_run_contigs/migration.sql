-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "contigs" JSONB NOT NULL DEFAULT '[]';
