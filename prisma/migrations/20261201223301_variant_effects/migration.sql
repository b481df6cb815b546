-- AlterTable
ALTER TABLE "variants" ADD COLUMN     "consequences" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "effects" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "genes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "protein_changes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "mutations_of_concern" (
    "id" UUID NOT NULL,
    "gene" TEXT NOT NULL,
    "amino_acid_change" TEXT NOT NULL,
    "label" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mutations_of_concern_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mutations_of_concern_gene_amino_acid_change_key" ON "mutations_of_concern"("gene", "amino_acid_change");

-- CreateIndex
CREATE INDEX "variants_genes_idx" ON "variants" USING GIN ("genes");

-- CreateIndex
CREATE INDEX "variants_consequences_idx" ON "variants" USING GIN ("consequences");

-- CreateIndex
CREATE INDEX "variants_protein_changes_idx" ON "variants" USING GIN ("protein_changes");
