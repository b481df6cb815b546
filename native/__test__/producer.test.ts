import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Producer, type ReadBatch, Reference } from '../index.js';
import { bytesOf } from './helpers.js';

const sample = Reference.random(100_000, 21).mutate({ seed: 21 });
const open: Producer[] = [];

function simulated(options: Parameters<typeof Producer.simulated>[1]): Producer {
  const producer = Producer.simulated(sample, { seed: 21, ...options });
  open.push(producer);
  return producer;
}

afterEach(() => {
  for (const producer of open.splice(0)) producer.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the batch, or with 'pending' if none arrives within `ms`. */
function within(ms: number, next: Promise<ReadBatch | null>): Promise<ReadBatch | null | 'pending'> {
  return Promise.race([next, sleep(ms).then(() => 'pending' as const)]);
}

describe('the producer', () => {
  it('should deliver simulated batches until totalReads and then null', async () => {
    const producer = simulated({ batchSize: 400, totalReads: 1000 });
    expect(producer.source).toBe('SIMULATED');
    const sizes: number[] = [];
    for (let batch = await producer.next(); batch; batch = await producer.next()) sizes.push(batch.reads);
    expect(sizes).toEqual([400, 400, 200]);
    expect(producer.stats).toMatchObject({ readsProduced: 1000, batchesProduced: 3, finished: true });
  });

  it('should keep mates together in paired batches', async () => {
    const producer = simulated({ batchSize: 7, paired: true, totalReads: 20 });
    const batch = (await producer.next()) as ReadBatch;
    expect(batch.paired).toBe(true);
    expect(batch.reads).toBe(8);
  });

  it('should pause within one batch and resume', async () => {
    const producer = simulated({ batchSize: 256 });
    await producer.next();
    producer.pause();
    const atPause = producer.stats.batchesProduced;
    await sleep(50);
    const buffered = producer.stats.bufferedBatches;
    for (let i = 0; i < buffered; i++) await producer.next();
    const pending = producer.next();
    expect(await within(200, pending)).toBe('pending');
    const stats = producer.stats;
    expect(stats.batchesProduced).toBeLessThanOrEqual(atPause + 1);
    expect(stats.paused).toBe(true);
    expect(stats.pausedMs).toBeGreaterThanOrEqual(200);
    producer.resume();
    expect(((await pending) as ReadBatch).reads).toBe(256);
    expect(producer.stats.paused).toBe(false);
  });

  it('should pace batches to the target rate and follow setRate', async () => {
    const producer = simulated({ batchSize: 1000, readsPerSecond: 1_000_000, maxBufferedBatches: 1 });
    for (let i = 0; i < 3; i++) await producer.next();
    producer.setRate(2000);
    expect(producer.stats.readsPerSecond).toBe(2000);
    const started = performance.now();
    for (let i = 0; i < 5; i++) await producer.next();
    // Up to two batches made before the change (one buffered, one being filled)
    // and the first after it come at once; then 1000-read batches at
    // 2000 reads/s leave half a second between them.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(() => producer.setRate(-1)).toThrow('readsPerSecond');
  });

  it('should not block the event loop while waiting for a batch', async () => {
    const producer = simulated({ batchSize: 100, readsPerSecond: 500 });
    await producer.next();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    await producer.next();
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });

  it('should close cleanly, ending pending and later next() with null', async () => {
    const producer = simulated({ batchSize: 64 });
    producer.pause();
    await sleep(20);
    for (let i = producer.stats.bufferedBatches; i > 0; i--) await producer.next();
    const pending = producer.next();
    producer.close();
    expect(await pending).toBeNull();
    expect(await producer.next()).toBeNull();
    expect(producer.stats.finished).toBe(true);
    producer.close();
  });

  it('should hand batches to a worker thread without copying', async () => {
    const producer = simulated({ batchSize: 50 });
    const batch = (await producer.next()) as ReadBatch;
    const bases = Buffer.from(bytesOf(batch.bases));
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (batch) => parentPort.postMessage(Buffer.from(batch.bases).toString('latin1')));`,
      { eval: true },
    );
    const received = new Promise<string>((resolve) => worker.once('message', resolve));
    worker.postMessage(batch, [
      batch.bases.buffer,
      batch.qualities.buffer,
      batch.offsets.buffer,
      batch.names.buffer,
      batch.nameOffsets.buffer,
    ]);
    expect(batch.bases.byteLength).toBe(0);
    expect(await received).toBe(bases.toString('latin1'));
    await worker.terminate();
  });
});
