import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { HelixCloseCode } from '../../src/pubsub/close-codes.js';
import { createHelixPubSub, type HelixPubSub } from '../../src/pubsub/events.js';
import { createPrefixedRedisEventTarget } from '../../src/transport/redis-pubsub.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type TestRedis, testRedis } from '../support/redis.js';
import { postGraphQL, testKeys } from '../support/server.js';
import { type Replica, startReplica } from './replica.js';
import { subscribedSocket } from './subscribed-socket.js';

const logger = createLogger('silent');
let redisServer: TestRedis;
let scratch: ScratchDatabase;
let database: Database;
const connections: Redis[] = [];
let first: Replica;
let second: Replica;

/** A pubsub over the shared Redis, as each replica of `helix serve` has one. */
function sharedPubSub(): HelixPubSub {
  const publisher = new Redis(redisServer.url);
  const subscriber = new Redis(redisServer.url);
  connections.push(publisher, subscriber);
  return createHelixPubSub(createPrefixedRedisEventTarget({ publisher, subscriber, prefix: 'helix-keys-test:' }));
}

beforeAll(async () => {
  redisServer = await testRedis(14);
  scratch = await createScratchDatabase();
  database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
  first = await startReplica(database, sharedPubSub(), logger);
  second = await startReplica(database, sharedPubSub(), logger);
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  for (const connection of connections) connection.disconnect();
  await database?.close();
  await scratch?.drop();
  await redisServer?.release();
});

describe('keys revoked across replicas', () => {
  it("should close the key's socket on the other replica within a second and refuse it there", async () => {
    const { body } = await postGraphQL(
      first.url,
      'mutation { createApiKey(input: { role: VIEWER, label: "elsewhere" }) { key apiKey { id } } }',
      { key: testKeys.operator },
    );
    const { key, apiKey } = (body.data as { createApiKey: { key: string; apiKey: { id: string } } }).createApiKey;
    // Used on the second replica first, so its lookup is cached there.
    expect((await postGraphQL(second.url, '{ me { label } }', { key })).body).toEqual({
      data: { me: { label: 'elsewhere' } },
    });
    const { client, connected, closedWith } = subscribedSocket(second.wsUrl, key);
    try {
      await connected;
      const revokedAt = Date.now();
      await postGraphQL(first.url, 'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', {
        key: testKeys.operator,
        variables: { id: apiKey.id },
      });
      const closed = await closedWith;
      expect(closed.code).toBe(HelixCloseCode.Unauthenticated);
      expect(closed.at - revokedAt).toBeLessThan(1000);
      const refused = await postGraphQL(second.url, '{ me { label } }', { key });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });
});
