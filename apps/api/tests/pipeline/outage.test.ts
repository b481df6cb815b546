import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findFreePort, startEmbeddedDatabase } from '../../src/db/embedded.js';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createLogger } from '../../src/logger.js';
import { migrationsDirectory } from '../../src/paths.js';
import type { PipelineMetrics } from '../../src/pipeline/metrics.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('pipeline through a database outage', () => {
  it('should throttle while PostgreSQL is down, resume when it returns, and store every batch once', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'helix-outage-'));
    await chmod(directory, 0o755);
    const logger = createLogger('silent');
    const port = await findFreePort();
    let database = await startEmbeddedDatabase(directory, logger, { port });
    const pool = new pg.Pool({ ...poolConfigFromUrl(database.url), connectionTimeoutMillis: 1_000 });
    pool.on('error', () => undefined);
    const samples: PipelineMetrics[] = [];
    const pipeline = new Pipeline({
      store: new PostgresResultStore(pool),
      observer: { metrics: (snapshot) => samples.push(snapshot) },
      metricsIntervalMs: 25,
      sinkOptions: { retryDelayMs: 50, maxRetryDelayMs: 250 },
    });
    try {
      await applyMigrations(pool, await readMigrations(migrationsDirectory));
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

      database = await startEmbeddedDatabase(directory, logger, { port });
      await waitFor(() => samples.at(-1)?.throttled === false, 20_000, 'the resume');
      await waitFor(() => (samples.at(-1)?.readsProduced ?? 0) > producedWhileDown + 64 * 20, 10_000, 'new batches');

      const outcome = await pipeline.stop(true);
      expect(outcome.totals.readsProduced).toBe(outcome.totals.readsAnalysed);
      const { rows } = await pool.query(
        'SELECT count(*)::int AS batches, sum(reads)::int AS reads FROM analyses WHERE run_id = $1',
        [run.id],
      );
      expect(rows[0]).toEqual({ batches: outcome.totals.batchesAnalysed, reads: outcome.totals.readsAnalysed });
    } finally {
      await pipeline.close();
      await pool.end();
      await database.stop();
      await rm(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
