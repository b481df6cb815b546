-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ReadSource" AS ENUM ('SIMULATED', 'FASTQ');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('RUNNING', 'STOPPING', 'COMPLETED', 'STOPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "VariantType" AS ENUM ('SNV', 'INSERTION', 'DELETION');

-- CreateEnum
CREATE TYPE "VariantStatus" AS ENUM ('CANDIDATE', 'CONFIRMED');

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "source" "ReadSource" NOT NULL,
    "config" JSONB NOT NULL,
    "reference_name" TEXT NOT NULL,
    "reference_length" BIGINT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(3),
    "reads_produced" BIGINT NOT NULL DEFAULT 0,
    "reads_analysed" BIGINT NOT NULL DEFAULT 0,
    "batches_analysed" INTEGER NOT NULL DEFAULT 0,
    "variants_confirmed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analyses" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "reads" INTEGER NOT NULL,
    "mapped_reads" INTEGER NOT NULL,
    "mutated_reads" INTEGER NOT NULL,
    "mutations_found" INTEGER NOT NULL,
    "processing_time_ms" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analyses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "variants" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "contig" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "ref" TEXT NOT NULL,
    "alt" TEXT NOT NULL,
    "type" "VariantType" NOT NULL,
    "genotype" TEXT,
    "depth" INTEGER NOT NULL,
    "alt_count" INTEGER NOT NULL,
    "allele_frequency" DOUBLE PRECISION NOT NULL,
    "quality" DOUBLE PRECISION NOT NULL,
    "status" "VariantStatus" NOT NULL DEFAULT 'CANDIDATE',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),
    "interpretation" JSONB,
    "interpretation_source" TEXT,
    "interpreted_at" TIMESTAMPTZ(3),

    CONSTRAINT "variants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_samples" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "ingestion_rate" DOUBLE PRECISION NOT NULL,
    "processing_rate" DOUBLE PRECISION NOT NULL,
    "queue_depth" INTEGER NOT NULL,
    "in_flight" INTEGER NOT NULL,
    "throttled" BOOLEAN NOT NULL,
    "sink_lag" INTEGER NOT NULL,
    "reads_produced" BIGINT NOT NULL,
    "reads_analysed" BIGINT NOT NULL,
    "latency_p50_ms" DOUBLE PRECISION,
    "latency_p99_ms" DOUBLE PRECISION,

    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "runs_started_at_idx" ON "runs"("started_at");

-- CreateIndex
CREATE INDEX "analyses_run_id_created_at_idx" ON "analyses"("run_id", "created_at");

-- CreateIndex
CREATE INDEX "analyses_created_at_idx" ON "analyses"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "analyses_run_id_sequence_key" ON "analyses"("run_id", "sequence");

-- CreateIndex
CREATE INDEX "variants_run_id_quality_idx" ON "variants"("run_id", "quality");

-- CreateIndex
CREATE INDEX "variants_run_id_status_position_idx" ON "variants"("run_id", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "variants_run_id_contig_position_ref_alt_key" ON "variants"("run_id", "contig", "position", "ref", "alt");

-- CreateIndex
CREATE UNIQUE INDEX "metric_samples_run_id_at_key" ON "metric_samples"("run_id", "at");

-- AddForeignKey
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "variants" ADD CONSTRAINT "variants_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
