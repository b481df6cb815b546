-- AlterTable
ALTER TABLE "run_samples" ADD COLUMN     "breadth_100x" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "sample_coverage" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "sample" TEXT NOT NULL,
    "contig" TEXT NOT NULL,
    "bin_size" INTEGER NOT NULL,
    "depths" REAL[],
    "max_depths" REAL[],
    "low_depth" INTEGER[],
    "min_depth" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sample_coverage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sample_coverage_run_id_sample_contig_key" ON "sample_coverage"("run_id", "sample", "contig");

-- AddForeignKey
ALTER TABLE "sample_coverage" ADD CONSTRAINT "sample_coverage_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
