import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateToFiles } from '@helix/native';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createLogger } from '../../src/logger.js';
import type { RunOutcome } from '../../src/pipeline/active-run.js';
import type { RunConfigInput } from '../../src/pipeline/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { connectRedis } from '../../src/transport/redis-connection.js';
import { streamDetectors } from '../../src/transport/stream-detectors.js';
import { streamKeys } from '../../src/transport/stream-keys.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { type RedisServer, startRedisServer } from '../support/redis.js';

const logger = createLogger('silent');
const keys = streamKeys(0);
const PAIRS = 4_000;

/** Every call of a run with its counts, as comparable text. */
function callsOf(outcome: RunOutcome): string[] {
  return outcome.calls
    .map((call) => [call.contig, call.position, call.ref, call.alt, call.depth, call.altCount, call.status].join(' '))
    .sort();
}

describe('mate pairs analysed by detector workers on Redis Streams', () => {
  let redisServer: RedisServer;
  let scratch: ScratchDatabase;
  let database: Database;
  let redis: Redis;
  let inputDir: string;
  let worker: HelixProcess;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    scratch = await createScratchDatabase();
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
    redis = await connectRedis(redisServer.url, { name: 'test-pairs', logger });
    inputDir = await mkdtemp(join(tmpdir(), 'helix-worker-pairs-'));
    await simulateToFiles({
      referenceLength: 30_000,
      referenceOut: join(inputDir, 'ref.fa'),
      reads: PAIRS,
      readLength: 100,
      insertMean: 300,
      insertSd: 20,
      out: join(inputDir, 'pairs_R1.fastq'),
      out2: join(inputDir, 'pairs_R2.fastq'),
      seed: 41,
    });
    worker = runHelix(['worker', '--threads', '1'], {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisServer.url,
      HELIX_DATA_DIR: inputDir,
    });
    await worker.waitFor('worker ready');
  }, 60_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    redis?.disconnect();
    await database?.close();
    await scratch?.drop();
    await redisServer?.destroy();
    await rm(inputDir, { recursive: true, force: true });
  });

  it('should place mates as pairs, as the owner’s own threads do', async () => {
    const store = new PostgresResultStore(database.pool);
    const config: RunConfigInput = {
      source: 'FASTQ',
      referencePath: join(inputDir, 'ref.fa'),
      readsPaths: [join(inputDir, 'pairs_R1.fastq'), join(inputDir, 'pairs_R2.fastq')],
      readsPerSecond: 0,
      batchSize: 256,
    };
    const local = new Pipeline({ store });
    await local.start(config);
    const alone = await local.whenRunEnds();
    const distributed = new Pipeline({ store, createDetectors: streamDetectors({ redis, keys }) });
    await distributed.start(config);
    const streamed = await distributed.whenRunEnds();

    expect(streamed.status).toBe('COMPLETED');
    const [localSample] = alone.samples;
    const [streamedSample] = streamed.samples;
    expect(localSample?.properlyPairedReads).toBeGreaterThan(2 * PAIRS * 0.9);
    expect(streamedSample?.properlyPairedReads).toBe(localSample?.properlyPairedReads);
    expect(streamedSample?.mappedReads).toBe(localSample?.mappedReads);
    expect(callsOf(streamed)).toEqual(callsOf(alone));
  }, 120_000);
});
