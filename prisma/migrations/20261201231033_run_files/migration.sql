-- CreateEnum
CREATE TYPE "RunFileState" AS ENUM ('TAKEN', 'DONE');

-- AlterEnum
ALTER TYPE "ReadSource" ADD VALUE 'DIRECTORY';

-- CreateTable
CREATE TABLE "run_files" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "paths" TEXT[],
    "size" BIGINT NOT NULL,
    "mtime" TIMESTAMPTZ(3) NOT NULL,
    "sample" TEXT NOT NULL,
    "reads" BIGINT NOT NULL DEFAULT 0,
    "state" "RunFileState" NOT NULL DEFAULT 'TAKEN',
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "run_files_run_id_path_key" ON "run_files"("run_id", "path");

-- AddForeignKey
ALTER TABLE "run_files" ADD CONSTRAINT "run_files_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
