import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import type { AnalysisRecord, RunFileRecord } from '../../src/pipeline/records.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';

describe('the file ledger of a DIRECTORY run in PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  let store: PostgresResultStore;
  let runId: string;

  const file = (name: string, overrides: Partial<RunFileRecord> = {}): RunFileRecord => ({
    runId,
    path: `/input/run/fastq_pass/barcode01/${name}`,
    paths: [`/input/run/fastq_pass/barcode01/${name}`],
    file: `fastq_pass/barcode01/${name}`,
    size: 1_000,
    mtime: Date.parse('2026-12-01T10:00:00Z'),
    fingerprints: ['ab'.repeat(32)],
    sample: 'barcode01',
    reads: 0,
    state: 'TAKEN',
    reason: undefined,
    ...overrides,
  });
  const analysis = (sequence: number): AnalysisRecord => ({
    runId,
    sequence,
    reads: 250,
    mappedReads: 240,
    mutatedReads: 3,
    mutationsFound: 1,
    processingTimeMs: 2,
    createdAt: new Date(),
  });
  const counts = async () =>
    (
      await pool.query<{ batches: number; reads: number }>(
        `SELECT (SELECT count(*) FROM analyses WHERE run_id = $1)::int AS batches,
           reads_analysed::int AS reads FROM runs WHERE id = $1`,
        [runId],
      )
    ).rows[0];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(scratch.url));
    await applyMigrations(pool, await readMigrations(migrationsDirectory));
    store = new PostgresResultStore(pool);
    runId = await store.createRun({
      source: 'DIRECTORY',
      config: {},
      referenceName: 'reference',
      referenceLength: 10_000,
      contigs: [{ name: 'reference', length: 10_000 }],
    });
  });
  afterAll(async () => {
    await pool?.end();
    await scratch?.drop();
  });

  it('should enter several files in one write, each as it was taken, in the order given', async () => {
    const unclassified = { code: 'UNCLASSIFIED_SKIPPED', message: 'no sample' } as const;
    await store.takeFiles([
      file('run_0.fastq.gz'),
      file('run_1.fastq.gz', { paths: ['/input/r1.fastq.gz', '/input/r2.fastq.gz'], fingerprints: ['1', '2'] }),
      file('run_2.fastq.gz', { sample: 'unclassified', state: 'SKIPPED', reason: unclassified }),
    ]);

    const files = await store.runFiles(runId);

    expect(files.map(({ file, state, paths, fingerprints }) => ({ file, state, paths, fingerprints }))).toEqual([
      {
        file: 'fastq_pass/barcode01/run_0.fastq.gz',
        state: 'TAKEN',
        paths: [file('run_0.fastq.gz').path],
        fingerprints: ['ab'.repeat(32)],
      },
      {
        file: 'fastq_pass/barcode01/run_1.fastq.gz',
        state: 'TAKEN',
        paths: ['/input/r1.fastq.gz', '/input/r2.fastq.gz'],
        fingerprints: ['1', '2'],
      },
      {
        file: 'fastq_pass/barcode01/run_2.fastq.gz',
        state: 'SKIPPED',
        paths: [file('run_2.fastq.gz').path],
        fingerprints: ['ab'.repeat(32)],
      },
    ]);
    expect(files[2]?.reason).toEqual(unclassified);
  });

  it("should store a file's analysis rows with its ending, and none again when the ending is retried", async () => {
    const before = await counts();
    const ending = { state: 'DONE', reads: 500, analyses: [analysis(0), analysis(1)] } as const;
    await store.finishFile(runId, file('run_0.fastq.gz').path, ending);
    await store.finishFile(runId, file('run_0.fastq.gz').path, ending);

    expect(before).toEqual({ batches: 0, reads: 0 });
    expect(await counts()).toEqual({ batches: 2, reads: 500 });
    expect((await store.interruptedRuns('DIRECTORY')).map(({ batchesStored }) => batchesStored)).toEqual([2]);
  });
});
