import { Reference } from '@helix/native';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createLogger } from '../../src/logger.js';
import { parseRunConfig } from '../../src/pipeline/config.js';
import { connectRedis, redisDatabaseIndex } from '../../src/transport/redis-connection.js';
import { publishRunSpec } from '../../src/transport/run-spec.js';
import { ensureConsumerGroup, StreamDetectors } from '../../src/transport/stream-detectors.js';
import { type StreamKeys, streamKeys } from '../../src/transport/stream-keys.js';
import { StreamWorker } from '../../src/transport/stream-worker.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type TestRedis, testRedis } from '../support/redis.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger('silent');

describe('dead letters', () => {
  let redisServer: TestRedis;
  let keys: StreamKeys;
  let scratch: ScratchDatabase;
  let database: Database;
  let redis: Redis;

  beforeAll(async () => {
    redisServer = await testRedis(2);
    keys = streamKeys(redisDatabaseIndex(redisServer.url));
    scratch = await createScratchDatabase();
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
    redis = await connectRedis(redisServer.url, { name: 'test', logger });
  });

  afterAll(async () => {
    redis?.disconnect();
    await database?.close();
    await scratch?.drop();
    await redisServer?.release();
  });

  it('should move a batch delivered too often, and a malformed entry, to the dead-letter stream and tell the run', async () => {
    const runId = '00000000-0000-4000-8000-000000000001';
    const config = parseRunConfig({ referenceLength: 10_000, seed: 5 });
    await publishRunSpec(redis, keys, { runId, config, reference: Reference.random(10_000, 5) });
    const deadLettered: number[] = [];
    const detectors = new StreamDetectors({
      redis,
      keys,
      runId,
      onBacklogChange: () => undefined,
      onDeadLetter: (sequence) => deadLettered.push(sequence),
    });
    await detectors.ready();
    await ensureConsumerGroup(redis, keys);
    const bases = new TextEncoder().encode('ACGT'.repeat(25));
    const verdict = detectors
      .analyse({
        sequence: 7,
        reads: 1,
        bases,
        qualities: new Uint8Array(100).fill(40),
        offsets: new Uint32Array([0, 100]),
      })
      .then(
        () => 'analysed',
        (error: Error) => error.message,
      );
    // A worker that takes the batch and dies: its delivery counts, and it never acknowledges.
    await waitFor(async () => (await redis.xlen(keys.batches)) === 1, 5_000, 'the batch to be queued');
    await redis.xreadgroup('GROUP', keys.group, 'ghost', 'COUNT', 10, 'STREAMS', keys.batches, '>');
    await redis.xadd(keys.batches, '*', 'run', runId, 'seq', 'not-a-number');
    let deadLetterLogs = 0;
    const worker = new StreamWorker({
      redis,
      keys,
      store: new PostgresResultStore(database.pool),
      logger,
      consumer: 'live',
      threads: 1,
      claimIdleMs: 100,
      maxDeliveries: 1,
      onDeadLetter: () => {
        deadLetterLogs += 1;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await worker.start();
    try {
      expect(await verdict).toBe('batch delivered 2 times without being analysed');
      expect(deadLettered).toEqual([7]);
      await waitFor(() => deadLetterLogs === 2, 5_000, 'both entries to be moved');
      const dead = (await redis.xrange(keys.deadLetters, '-', '+')) as [string, string[]][];
      const reasons = dead.map(([, fields]) => fields[fields.indexOf('reason') + 1]);
      expect(reasons).toEqual(
        expect.arrayContaining([
          'batch delivered 2 times without being analysed',
          expect.stringMatching(/has no "offsets" field/),
        ]),
      );
      expect(await redis.xlen(keys.batches)).toBe(0);
      const [pending] = (await redis.xpending(keys.batches, keys.group)) as [number];
      expect(pending).toBe(0);
      expect(worker.stats).toMatchObject({ batches: 0, deadLettered: 2 });
    } finally {
      await worker.stop();
      await detectors.close();
    }
  }, 30_000);
});
