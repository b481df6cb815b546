import { tmpdir } from 'node:os';
import { createKeyRing } from '../../src/auth/keys.js';
import type { Database } from '../../src/db/database.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createInterpretationService } from '../../src/interpret/service.js';
import type { Logger } from '../../src/logger.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { HelixPubSub } from '../../src/pubsub/events.js';
import { createApiServer } from '../../src/server.js';
import { dashboardOrigin, testKeys } from '../support/server.js';

/** An API server started beside another over the same database. */
export interface Replica {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * Starts an API server over `database`, with caches and open sessions of its own, as another
 * replica or the same one after a restart would have; it knows the test keys.
 */
export async function startReplica(database: Database, pubsub: HelixPubSub, logger: Logger): Promise<Replica> {
  const pipeline = new Pipeline({ store: new PostgresResultStore(database.pool) });
  const interpretation = createInterpretationService({ pool: database.pool, logger, config: { groq: undefined } });
  const server = createApiServer({
    logger,
    keyRing: createKeyRing([
      { role: 'operator', key: testKeys.operator },
      { role: 'viewer', key: testKeys.viewer },
    ]),
    services: () => ({ database, pipeline, interpretationMetrics: () => interpretation.metrics() }),
    pubsub,
    dashboardOrigin,
    inputDir: tmpdir(),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async close() {
      await server.close();
      await pipeline.close();
    },
  };
}
