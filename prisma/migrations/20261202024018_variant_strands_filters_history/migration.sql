-- AlterTable
ALTER TABLE "variants" ADD COLUMN     "allele_frequency_history" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "filters" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "forward_alt_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "forward_ref_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reads_until_detection" BIGINT,
ADD COLUMN     "reverse_alt_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reverse_ref_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "strand_bias" DOUBLE PRECISION;
