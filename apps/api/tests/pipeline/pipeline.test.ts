import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateToFiles } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import { InvalidRunConfigError } from '../../src/pipeline/config.js';
import type { PipelineStatusChange } from '../../src/pipeline/events.js';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import type { PipelineMetrics } from '../../src/pipeline/metrics.js';
import { Pipeline, PipelineAlreadyRunningError, PipelineNotRunningError } from '../../src/pipeline/pipeline.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { slowDownTable } from '../support/slow-table.js';
import { waitFor } from '../support/wait-for.js';

/** The accounting identity the pipeline keeps at every instant. */
function expectNothingLost(metrics: PipelineMetrics): void {
  expect(metrics.readsProduced).toBe(
    metrics.readsAnalysed + metrics.readsQueued + metrics.readsInFlight + metrics.readsDiscarded,
  );
}

function recordingObserver() {
  const samples: PipelineMetrics[] = [];
  const states: PipelineStatusChange[] = [];
  return {
    samples,
    states,
    observer: {
      metrics: (snapshot: PipelineMetrics) => {
        samples.push(snapshot);
      },
      status: (change: PipelineStatusChange) => {
        states.push(change);
      },
    },
  };
}

describe('pipeline', () => {
  it('should analyse every read it takes and end a bounded simulated run by itself', async () => {
    const store = new MemoryResultStore();
    const { samples, observer } = recordingObserver();
    const pipeline = new Pipeline({ store, observer, metricsIntervalMs: 50 });
    const run = await pipeline.start({ referenceLength: 50_000, totalReads: 20_000, readsPerSecond: 0, workers: 2 });
    const outcome = await pipeline.whenRunEnds();
    expect(outcome.status).toBe('COMPLETED');
    expect(outcome.totals.readsProduced).toBe(20_000);
    expect(outcome.totals.readsAnalysed).toBe(20_000);
    for (const sample of samples) expectNothingLost(sample);
    const stored = store.runs.get(run.id);
    expect(stored?.status).toBe('COMPLETED');
    expect(store.analyses.size).toBe(outcome.totals.batchesAnalysed);
    expect(pipeline.state).toBe('IDLE');
  });

  it('should refuse a second start and a stop when idle with typed errors', async () => {
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    await expect(pipeline.stop(true)).rejects.toBeInstanceOf(PipelineNotRunningError);
    await pipeline.start({ referenceLength: 20_000, readsPerSecond: 1_000, workers: 1 });
    await expect(pipeline.start({ referenceLength: 20_000 })).rejects.toBeInstanceOf(PipelineAlreadyRunningError);
    const outcome = await pipeline.stop(true);
    expect(outcome.status).toBe('STOPPED');
    expect(outcome.totals.readsProduced).toBe(outcome.totals.readsAnalysed);
  });

  it('should name the field of an invalid configuration', async () => {
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    await expect(pipeline.start({ mutationRate: 2 })).rejects.toThrow(InvalidRunConfigError);
    await expect(pipeline.start({ highWater: 10, lowWater: 10 })).rejects.toMatchObject({ field: 'lowWater' });
    await expect(pipeline.start({ source: 'FASTQ' })).rejects.toMatchObject({ field: 'readsPaths' });
    expect(pipeline.state).toBe('IDLE');
  });

  describe('against a slow PostgreSQL', () => {
    let scratch: ScratchDatabase;
    let pool: pg.Pool;

    beforeAll(async () => {
      scratch = await createScratchDatabase();
      pool = new pg.Pool(poolConfigFromUrl(scratch.url));
      await applyMigrations(pool, await readMigrations(migrationsDirectory));
    });

    afterAll(async () => {
      await pool?.end();
      await scratch?.drop();
    });

    async function storedBatches(runId: string): Promise<number> {
      const { rows } = await pool.query<{ batches: number }>(
        'SELECT count(*)::int AS batches FROM analyses WHERE run_id = $1',
        [runId],
      );
      return (rows[0] as { batches: number }).batches;
    }

    it('should throttle the producer when the sink falls behind, bound the queue, and resume', async () => {
      // Each analysis write waits up to 40 ms for the table's lock: about two batches stored per hold.
      const analyses = await slowDownTable(scratch.url, 'analyses', 40);
      const { samples, states, observer } = recordingObserver();
      const workers = 2;
      const pipeline = new Pipeline({
        store: new PostgresResultStore(pool),
        observer,
        metricsIntervalMs: 25,
        sinkOptions: { maxRowsPerWrite: 2, flushIntervalMs: 5 },
      });
      try {
        const run = await pipeline.start({
          referenceLength: 30_000,
          readsPerSecond: 0,
          batchSize: 32,
          highWater: 20,
          lowWater: 5,
          totalReads: 32 * 300,
          workers,
        });
        const outcome = await pipeline.whenRunEnds();
        expect(analyses.writesKeptWaiting).toBeGreaterThan(0);
        expect(states.map((change) => change.state)).toContain('THROTTLED');
        const throttledSamples = samples.filter((sample) => sample.throttled);
        expect(throttledSamples.length).toBeGreaterThan(0);
        expect(samples.some((sample, index) => index > 0 && samples[index - 1]?.throttled && !sample.throttled)).toBe(
          true,
        );
        expect(Math.max(...samples.map((sample) => sample.queueDepth))).toBeLessThanOrEqual(20 + workers);
        for (const sample of samples) expectNothingLost(sample);
        expect(outcome.totals.readsAnalysed).toBe(32 * 300);
        expect(await storedBatches(run.id)).toBe(300);
      } finally {
        await pipeline.close();
        await analyses.stop();
      }
    });

    it('should show a 10x spike engage the throttle and release it afterwards', async () => {
      // Held 20 ms at a time, the table takes about 200 batches of 64 reads a second (~12.8k
      // reads/s): the base rate fits, ten times it does not.
      const analyses = await slowDownTable(scratch.url, 'analyses', 20);
      const { samples, observer } = recordingObserver();
      const pipeline = new Pipeline({
        store: new PostgresResultStore(pool),
        observer,
        metricsIntervalMs: 25,
        sinkOptions: { maxRowsPerWrite: 4, flushIntervalMs: 5 },
      });
      try {
        await pipeline.start({
          referenceLength: 30_000,
          readsPerSecond: 4_000,
          batchSize: 64,
          highWater: 30,
          lowWater: 10,
          workers: 1,
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(samples.some((sample) => sample.throttled)).toBe(false);
        pipeline.spike(10, 1.5);
        await waitFor(() => samples.at(-1)?.throttled === true, 10_000);
        await waitFor(() => samples.at(-1)?.throttled === false, 15_000);
        const outcome = await pipeline.stop(true);
        expect(analyses.writesKeptWaiting).toBeGreaterThan(0);
        expect(outcome.totals.readsProduced).toBe(outcome.totals.readsAnalysed);
        for (const sample of samples) expectNothingLost(sample);
      } finally {
        await pipeline.close();
        await analyses.stop();
      }
    });
  });

  describe('over FASTQ files', () => {
    let directory: string;

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'helix-pipeline-'));
      await simulateToFiles({
        referenceLength: 40_000,
        referenceOut: join(directory, 'ref.fa'),
        reads: 5_000,
        out: join(directory, 'reads_1.fq.gz'),
        out2: join(directory, 'reads_2.fq.gz'),
        seed: 5,
      });
    });

    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('should end the run by itself when the files are consumed', async () => {
      const pipeline = new Pipeline({ store: new MemoryResultStore() });
      await pipeline.start({
        source: 'FASTQ',
        referencePath: join(directory, 'ref.fa'),
        readsPaths: [join(directory, 'reads_1.fq.gz'), join(directory, 'reads_2.fq.gz')],
        readsPerSecond: 0,
      });
      const outcome = await pipeline.whenRunEnds();
      expect(outcome.status).toBe('COMPLETED');
      expect(outcome.totals.readsAnalysed).toBe(10_000);
    });
  });
});
