import { describe, expect, it } from 'vitest';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { RunStatusKind, RunTotals } from '../../src/pipeline/records.js';

/** A store that takes everything but the run's conclusion. */
class StoreRefusingTheEnd extends MemoryResultStore {
  override async finishRun(_runId: string, _status: RunStatusKind, _totals: RunTotals, _error?: string): Promise<void> {
    throw new Error('connection to the database was lost');
  }
}

describe('a run whose end fails', () => {
  it('should tell whoever waits for it why, rather than leave them waiting', async () => {
    const pipeline = new Pipeline({ store: new StoreRefusingTheEnd(), metricsIntervalMs: 50 });
    await pipeline.start({ referenceLength: 20_000, totalReads: 2_000, readsPerSecond: 0, workers: 1 });
    await expect(pipeline.whenRunEnds()).rejects.toThrow('connection to the database was lost');
    expect(pipeline.state).toBe('IDLE');
  });

  it('should reject an explicit stop with the same reason', async () => {
    const pipeline = new Pipeline({ store: new StoreRefusingTheEnd(), metricsIntervalMs: 50 });
    await pipeline.start({ referenceLength: 20_000, readsPerSecond: 5_000, workers: 1 });
    const waiting = pipeline.whenRunEnds();
    await expect(pipeline.stop(true)).rejects.toThrow('connection to the database was lost');
    await expect(waiting).rejects.toThrow('connection to the database was lost');
  });
});
