import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import { type AnalysisRecord, type VariantRecord, variantCallKey } from '../../src/pipeline/records.js';
import { BatchedSink } from '../../src/pipeline/sink.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { startRestartableDatabase } from '../support/restartable-database.js';
import { evenStrands } from '../support/strands.js';

function analysis(runId: string, sequence: number): AnalysisRecord {
  return {
    runId,
    sequence,
    reads: 256,
    mappedReads: 250,
    mutatedReads: 3,
    mutationsFound: 3,
    processingTimeMs: 1.5,
    createdAt: new Date(),
  };
}

function variant(runId: string, position: number, depth: number): VariantRecord {
  return {
    runId,
    sample: 'sample',
    contig: 'random',
    position,
    ref: 'A',
    alt: 'G',
    type: 'SNV',
    genotype: '0/1',
    depth,
    altCount: Math.floor(depth / 2),
    alleleFrequency: 0.5,
    quality: 60,
    ...evenStrands(depth, Math.floor(depth / 2)),
    status: depth >= 10 ? 'CONFIRMED' : 'CANDIDATE',
    seenAt: new Date(),
    effects: [],
  };
}

async function count(pool: pg.Pool, table: string, runId: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE run_id = $1`, [runId]);
  return rows[0].n;
}

describe('PostgreSQL result store', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  let store: PostgresResultStore;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(scratch.url));
    await applyMigrations(pool, await readMigrations(migrationsDirectory));
    store = new PostgresResultStore(pool);
  });

  afterAll(async () => {
    await pool.end();
    await scratch.drop();
  });

  it('should store a batch written twice once', async () => {
    const runId = await store.createRun({
      source: 'SIMULATED',
      config: {},
      referenceName: 'random',
      referenceLength: 1000,
      contigs: [{ name: 'random', length: 1000 }],
    });
    const rows = [analysis(runId, 0), analysis(runId, 1)];
    await store.writeAnalyses(rows);
    await store.writeAnalyses(rows);
    expect(await count(pool, 'analyses', runId)).toBe(2);
  });

  it('should update a variant call in place and remember when it was first confirmed', async () => {
    const runId = await store.createRun({
      source: 'SIMULATED',
      config: {},
      referenceName: 'random',
      referenceLength: 1000,
      contigs: [{ name: 'random', length: 1000 }],
    });
    await store.upsertVariants([variant(runId, 100, 4)]);
    await store.upsertVariants([variant(runId, 100, 12)]);
    const confirmed = await pool.query('SELECT confirmed_at FROM variants WHERE run_id = $1', [runId]);
    await store.upsertVariants([variant(runId, 100, 20)]);
    const { rows } = await pool.query('SELECT depth, status, confirmed_at FROM variants WHERE run_id = $1', [runId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].depth).toBe(20);
    expect(rows[0].status).toBe('CONFIRMED');
    expect(rows[0].confirmed_at).toEqual(confirmed.rows[0].confirmed_at);
  });

  it('should hand an interrupted run back with the keys of the calls it had confirmed', async () => {
    const runId = await store.createRun({
      source: 'DIRECTORY',
      config: {},
      referenceName: 'random',
      referenceLength: 1000,
      contigs: [{ name: 'random', length: 1000 }],
    });
    const confirmed = variant(runId, 300, 12);
    await store.upsertVariants([variant(runId, 200, 4), confirmed]);
    const interrupted = (await store.interruptedRuns('DIRECTORY')).find((run) => run.runId === runId);
    expect(interrupted?.confirmedCalls).toEqual([variantCallKey(confirmed)]);
  });
});

describe('batched sink', () => {
  it('should keep rows through a database outage and store each exactly once when it returns', async () => {
    const database = await startRestartableDatabase();
    try {
      const store = new PostgresResultStore(database.pool);
      const runId = await store.createRun({
        source: 'SIMULATED',
        config: {},
        referenceName: 'r',
        referenceLength: 1,
        contigs: [],
      });
      const sink = new BatchedSink(store, { flushIntervalMs: 10, retryDelayMs: 20, maxRetryDelayMs: 200 });

      for (let sequence = 0; sequence < 50; sequence += 1) sink.addAnalysis(analysis(runId, sequence));
      await sink.drain();
      expect(sink.lag).toBe(0);

      await database.stop();
      for (let sequence = 50; sequence < 100; sequence += 1) sink.addAnalysis(analysis(runId, sequence));
      sink.addVariants([variant(runId, 7, 30)]);
      await sleep(500);
      expect(sink.lag).toBe(51);
      expect(sink.writeFailures).toBeGreaterThan(0);

      await database.start();
      await sink.drain();
      expect(sink.lag).toBe(0);
      expect(await count(database.pool, 'analyses', runId)).toBe(100);
      expect(await count(database.pool, 'variants', runId)).toBe(1);
      sink.close();
    } finally {
      await database.dispose();
    }
  });
});
