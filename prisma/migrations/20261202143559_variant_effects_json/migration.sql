-- AlterTable: effects are written and read whole, never queried inside (the filters use the
-- genes, consequences and protein_changes arrays), so PostgreSQL keeps their text as sent
-- instead of building jsonb from it.
ALTER TABLE "variants" ALTER COLUMN "effects" DROP DEFAULT,
  ALTER COLUMN "effects" SET DATA TYPE JSON USING "effects"::json,
  ALTER COLUMN "effects" SET DEFAULT '[]';
