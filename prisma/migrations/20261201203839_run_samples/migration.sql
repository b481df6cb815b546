-- CreateTable
CREATE TABLE "run_samples" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "reads_analysed" BIGINT NOT NULL DEFAULT 0,
    "mapped_reads" BIGINT NOT NULL DEFAULT 0,
    "mean_depth" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "breadth_1x" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "breadth_10x" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "variants_confirmed" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_samples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "run_samples_run_id_name_key" ON "run_samples"("run_id", "name");

-- AddForeignKey
ALTER TABLE "run_samples" ADD CONSTRAINT "run_samples_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
