import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/pipeline/worker-pool.js';

describe('worker pool', () => {
  it('should replace a worker that dies and redo the job it held', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'helix-pool-'));
    const crashes: Error[] = [];
    const pool = new WorkerPool<number, number>({
      script: new URL('../support/crash-once-worker.mjs', import.meta.url),
      workerData: { crashOn: 7, marker: join(directory, 'crashed') },
      size: 2,
      onWorkerCrash: (error) => crashes.push(error),
    });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, index) => pool.run(index)));
      expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 2));
      expect(crashes).toHaveLength(1);
      expect(crashes[0]?.message).toContain('code 3');
      expect(pool.size).toBe(2);
    } finally {
      await pool.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('should reject jobs still waiting when it is closed', async () => {
    const pool = new WorkerPool<number, number>({
      script: new URL('../support/crash-once-worker.mjs', import.meta.url),
      workerData: { crashOn: -1, marker: '/nonexistent' },
      size: 1,
    });
    await pool.ready();
    const pending = Array.from({ length: 5 }, (_, index) => pool.run(index).catch((error: Error) => error.message));
    await pool.close();
    const outcomes = await Promise.all(pending);
    expect(outcomes.filter((outcome) => outcome === 'the worker pool was closed').length).toBeGreaterThan(0);
  });
});
