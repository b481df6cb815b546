import { describe, expect, it } from 'vitest';
import { PostgresResultStore } from '../../src/db/result-store.js';
import type { PipelineMetrics } from '../../src/pipeline/metrics.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { startRestartableDatabase } from '../support/restartable-database.js';
import { waitFor } from '../support/wait-for.js';

describe('pipeline through a database outage', () => {
  it('should throttle while PostgreSQL is down, resume when it returns, and store every batch once', async () => {
    const database = await startRestartableDatabase();
    const samples: PipelineMetrics[] = [];
    const pipeline = new Pipeline({
      store: new PostgresResultStore(database.pool),
      observer: { metrics: (snapshot) => samples.push(snapshot) },
      metricsIntervalMs: 25,
      sinkOptions: { retryDelayMs: 50, maxRetryDelayMs: 250 },
    });
    try {
      const run = await pipeline.start({
        referenceLength: 30_000,
        readsPerSecond: 20_000,
        batchSize: 64,
        highWater: 20,
        lowWater: 5,
        workers: 1,
      });
      await waitFor(() => (samples.at(-1)?.batchesAnalysed ?? 0) > 20, 10_000, 'the first batches');

      await database.stop();
      await waitFor(() => samples.at(-1)?.throttled === true, 10_000, 'the throttle');
      const producedWhileDown = samples.at(-1)?.readsProduced ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Throttled: the producer is parked, so hardly anything more is taken in.
      expect((samples.at(-1)?.readsProduced ?? 0) - producedWhileDown).toBeLessThanOrEqual(64 * 2);

      await database.start();
      await waitFor(() => samples.at(-1)?.throttled === false, 20_000, 'the resume');
      await waitFor(() => (samples.at(-1)?.readsProduced ?? 0) > producedWhileDown + 64 * 20, 10_000, 'new batches');

      const outcome = await pipeline.stop(true);
      expect(outcome.totals.readsProduced).toBe(outcome.totals.readsAnalysed);
      const { rows } = await database.pool.query(
        'SELECT count(*)::int AS batches, sum(reads)::int AS reads FROM analyses WHERE run_id = $1',
        [run.id],
      );
      expect(rows[0]).toEqual({ batches: outcome.totals.batchesAnalysed, reads: outcome.totals.readsAnalysed });
    } finally {
      await pipeline.close();
      await database.dispose();
    }
  }, 90_000);
});
