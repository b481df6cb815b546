import type { VariantEffect } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { evenStrands } from '../support/strands.js';

const missense: VariantEffect = {
  consequence: 'MISSENSE',
  soTerm: 'missense_variant',
  impact: 'MODERATE',
  gene: 'rpoB',
  locusTag: 'b3987',
  product: 'RNA polymerase subunit beta',
  codonChange: 'tCg/tTg',
  aminoAcidChange: 'S450L',
  hgvsC: 'c.1349C>T',
  hgvsP: 'p.Ser450Leu',
  warnings: [],
};

const upstream: VariantEffect = {
  consequence: 'UPSTREAM',
  soTerm: 'upstream_gene_variant',
  impact: 'MODIFIER',
  gene: 'rpoC',
  distance: 40,
  warnings: [],
};

describe('variants stored with their effects', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  let store: PostgresResultStore;
  let runId: string;

  const record = (effects: VariantEffect[], depth: number): VariantRecord => ({
    runId,
    sample: 'sample',
    contig: 'NC_000913.3',
    position: 4_182_000,
    ref: 'C',
    alt: 'T',
    type: 'SNV',
    genotype: '1/1',
    depth,
    altCount: depth,
    ...evenStrands(depth, depth),
    alleleFrequency: 1,
    quality: 60,
    status: 'CONFIRMED',
    seenAt: new Date(),
    effects,
  });
  const stored = async () =>
    (
      await pool.query<{
        depth: number;
        effects: VariantEffect[];
        genes: string[];
        consequences: string[];
        protein_changes: string[];
      }>('SELECT depth, effects, genes, consequences, protein_changes FROM variants WHERE run_id = $1', [runId])
    ).rows;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(scratch.url));
    await applyMigrations(pool, await readMigrations(migrationsDirectory));
    store = new PostgresResultStore(pool);
    runId = await store.createRun({
      source: 'FASTQ',
      config: {},
      referenceName: 'NC_000913.3',
      referenceLength: 5_000_000,
      contigs: [{ name: 'NC_000913.3', length: 5_000_000 }],
    });
  });

  afterAll(async () => {
    await pool?.end();
    await scratch?.drop();
  });

  it('should write the effects with their genes, consequences and mutation-of-concern keys', async () => {
    await store.upsertVariants([record([missense, upstream], 20)]);
    expect(await stored()).toEqual([
      {
        depth: 20,
        effects: [missense, upstream],
        genes: ['rpoB', 'rpoC'],
        consequences: ['MISSENSE', 'UPSTREAM'],
        protein_changes: ['rpoB:S450L', 'NC_000913.3:C4182000T'],
      },
    ]);
  });

  it('should keep the stored effects when the same site comes again without any', async () => {
    await store.upsertVariants([record([], 25)]);
    const [row] = await stored();
    expect(row?.depth).toBe(25);
    expect(row?.effects).toEqual([missense, upstream]);
    expect(row?.genes).toEqual(['rpoB', 'rpoC']);
    expect(row?.protein_changes).toEqual(['rpoB:S450L', 'NC_000913.3:C4182000T']);
  });

  it('should replace them by effects that differ', async () => {
    await store.upsertVariants([record([upstream], 30)]);
    expect(await stored()).toMatchObject([
      { depth: 30, effects: [upstream], genes: ['rpoC'], consequences: ['UPSTREAM'] },
    ]);
  });

  it('should store a call without annotation with only its nucleotide key', async () => {
    await store.upsertVariants([{ ...record([], 12), position: 100 }]);
    const { rows } = await pool.query<{ effects: unknown[]; genes: string[]; protein_changes: string[] }>(
      'SELECT effects, genes, protein_changes FROM variants WHERE run_id = $1 AND position = 100',
      [runId],
    );
    expect(rows).toEqual([{ effects: [], genes: [], protein_changes: ['NC_000913.3:C100T'] }]);
  });

  it('should store a batch larger than one statement with each row its own effects', async () => {
    // A run's end writes every call at once: the batch goes as several statements, and each row
    // must still take its own effects, not a neighbour's.
    const rows = Array.from({ length: 640 }, (_, index) => ({
      ...record([{ ...missense, gene: `gene${index}`, aminoAcidChange: `S${index + 1}L` }], 10 + (index % 7)),
      position: 10_000 + index,
    }));
    await store.upsertVariants(rows);
    const { rows: stored } = await pool.query<{
      position: number;
      depth: number;
      genes: string[];
      effects: VariantEffect[];
    }>(
      'SELECT position, depth, genes, effects FROM variants WHERE run_id = $1 AND position BETWEEN 10000 AND 19999 ORDER BY position',
      [runId],
    );
    expect(stored).toHaveLength(rows.length);
    stored.forEach((row, index) => {
      expect(row).toEqual({
        position: 10_000 + index,
        depth: rows[index]?.depth,
        genes: [`gene${index}`],
        effects: rows[index]?.effects,
      });
    });
  });

  it('should store each row of a batch mixing calls with and without effects its own, as written', async () => {
    // The effects travel as a document of their own, one element per row: a row without effects
    // must not shift its neighbours' onto the wrong call.
    const rows = Array.from({ length: 260 }, (_, index) => ({
      ...record(index % 3 === 1 ? [] : [{ ...missense, gene: `mixed${index}` }, upstream], 8),
      position: 30_000 + index,
    }));
    await store.upsertVariants(rows);
    const { rows: stored } = await pool.query<{ position: number; text: string; genes: string[] }>(
      `SELECT position, effects::text AS text, genes FROM variants
       WHERE run_id = $1 AND position BETWEEN 30000 AND 39999 ORDER BY position`,
      [runId],
    );
    expect(stored).toEqual(
      rows.map((row) => ({
        position: row.position,
        text: JSON.stringify(row.effects),
        genes: row.effects.flatMap((effect) => (effect.gene ? [effect.gene] : [])),
      })),
    );
  });

  it('should fail a batch when one of its statements fails, and store it whole when written again', async () => {
    // One part refers to a run that does not exist: the write fails (the sink retries the batch,
    // every row idempotent) once every part has settled.
    const rows = Array.from({ length: 300 }, (_, index) => ({ ...record([missense], 5), position: 20_000 + index }));
    const orphan = { ...record([], 5), runId: '00000000-0000-0000-0000-000000000000', position: 20_999 };
    await expect(store.upsertVariants([...rows, orphan])).rejects.toThrow(/foreign key/);
    await store.upsertVariants(rows);
    const { rows: counted } = await pool.query<{ count: number; annotated: number }>(
      `SELECT count(*)::int AS count, count(*) FILTER (WHERE genes = '{rpoB}')::int AS annotated
       FROM variants WHERE run_id = $1 AND position BETWEEN 20000 AND 29999`,
      [runId],
    );
    expect(counted).toEqual([{ count: rows.length, annotated: rows.length }]);
  });
});
