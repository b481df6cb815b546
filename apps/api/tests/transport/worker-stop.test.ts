import { Reference } from '@helix/native';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createLogger } from '../../src/logger.js';
import { parseRunConfig } from '../../src/pipeline/config.js';
import { encodeBatch } from '../../src/transport/batch-codec.js';
import { connectRedis, redisDatabaseIndex } from '../../src/transport/redis-connection.js';
import { publishRunSpec } from '../../src/transport/run-spec.js';
import { type StreamKeys, streamKeys } from '../../src/transport/stream-keys.js';
import { StreamWorker } from '../../src/transport/stream-worker.js';
import { type TestRedis, testRedis } from '../support/redis.js';
import { type RestartableDatabase, startRestartableDatabase } from '../support/restartable-database.js';
import { waitFor } from '../support/wait-for.js';

describe('stopping a detector worker', () => {
  let redisServer: TestRedis;
  let keys: StreamKeys;
  let redis: Redis;
  let database: RestartableDatabase;

  beforeAll(async () => {
    redisServer = await testRedis(7);
    keys = streamKeys(redisDatabaseIndex(redisServer.url));
    redis = await connectRedis(redisServer.url, { name: 'test', logger: createLogger('silent') });
    database = await startRestartableDatabase();
  });

  afterAll(async () => {
    redis?.disconnect();
    await database?.dispose();
    await redisServer?.release();
  });

  it('should end while PostgreSQL is down, leaving the batch it could not store for another worker', async () => {
    const runId = '00000000-0000-4000-8000-000000000007';
    const config = parseRunConfig({ referenceLength: 10_000, seed: 3 });
    await publishRunSpec(redis, keys, { runId, config, reference: Reference.random(10_000, 3) });
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    const worker = new StreamWorker({
      redis,
      keys,
      store: new PostgresResultStore(database.pool),
      logger,
      consumer: 'stopping',
      threads: 1,
    });
    await worker.start();
    await database.stop();
    const bases = new TextEncoder().encode('ACGT'.repeat(25));
    await redis.xadd(
      keys.batches,
      '*',
      ...encodeBatch({
        runId,
        sequence: 0,
        reads: 1,
        bases,
        qualities: new Uint8Array(100).fill(40),
        offsets: new Uint32Array([0, 100]),
      }),
    );
    await waitFor(() => warnings.includes('analysis write failed'), 15_000, 'the analysis write to fail');

    // Before the retry could be stopped, this waited for PostgreSQL for ever.
    await worker.stop();

    expect(worker.stats.batches).toBe(0);
    const [pending] = (await redis.xpending(keys.batches, keys.group)) as [number];
    expect(pending).toBe(1);
    expect(await redis.xlen(keys.batches)).toBe(1);
    await database.start();
  }, 30_000);
});
