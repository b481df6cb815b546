import { Reference } from '@helix/native';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { parseRunConfig } from '../../src/pipeline/config.js';
import { connectRedis } from '../../src/transport/redis-connection.js';
import { loadRunReference, publishRunSpec } from '../../src/transport/run-spec.js';
import { streamKeys } from '../../src/transport/stream-keys.js';
import { type RedisServer, startRedisServer } from '../support/redis.js';

const keys = streamKeys(0);

describe("a run's spec for detector workers", () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connectRedis(server.url, { name: 'test-spec', logger: createLogger('silent') });
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.destroy();
  });

  it('should name the contigs the run joins across their origin, so workers map mates as the owner does', async () => {
    const config = parseRunConfig({ referenceLength: 5_000, seed: 3, circular: ['random'] });
    const reference = Reference.random(config.referenceLength, config.seed);
    await publishRunSpec(redis, keys, { runId: 'run-circular', config, reference });
    const spec = await loadRunReference(redis, keys, 'run-circular');
    expect(spec?.circular).toEqual(['random']);
    expect(spec?.reference.totalLength).toBe(5_000);
  });
});
