import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Reference } from '@helix/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MutationDetected } from '../../src/pipeline/events.js';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { simulateRun } from '../../src/watch/simulated-run.js';
import { scratchInputDir } from '../watch/run-folders.js';

/** A tick no test lives to see: nothing the run does waits for it. */
const METRICS_TICK_MS = 60_000;

describe('time to detection in a DIRECTORY run', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let pipeline: Pipeline;
  const alarms: Array<MutationDetected & { receivedAt: number }> = [];

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
    alarms.length = 0;
    pipeline = new Pipeline({
      store: new MemoryResultStore(),
      observer: { mutationDetected: (alarm) => alarms.push({ ...alarm, receivedAt: Date.now() }) },
      metricsIntervalMs: METRICS_TICK_MS,
      folders: { inputDir, settleMs: 300, pollIntervalMs: 50 },
    });
  });
  afterEach(async () => {
    await pipeline.close();
    await remove();
  });

  it('should raise each alarm soon after its file arrived, far within the metrics tick: calls follow batches, not a timer', async () => {
    const reference = Reference.random(8_000, 11);
    reference.writeFasta(join(inputDir, 'reference.fa'));
    const runDir = join(inputDir, 'run-ttd');
    await mkdir(runDir);
    await pipeline.start({
      source: 'DIRECTORY',
      directory: 'run-ttd',
      referencePath: join(inputDir, 'reference.fa'),
      readsPerSecond: 0,
      workers: 1,
    });

    const written = await simulateRun({
      runDir,
      reference,
      samples: 2,
      readsPerSample: 2_400,
      chunkReads: 400,
      chunkIntervalMs: 600,
      mutationRate: 0.003,
      seed: 16,
    });
    const markerWrittenAt = Date.now();
    const outcome = await pipeline.whenRunEnds();

    expect(outcome.status).toBe('COMPLETED');
    expect(outcome.totals.readsAnalysed).toBe(written.reads);
    const live = alarms.filter((alarm) => alarm.receivedAt < markerWrittenAt);
    expect(live.length).toBeGreaterThan(0);
    for (const alarm of live) {
      const sinceArrival = alarm.receivedAt - (alarm.fileArrivedAt?.getTime() ?? Number.NaN);
      expect(sinceArrival).toBeLessThan(METRICS_TICK_MS / 6);
    }
  });
});
