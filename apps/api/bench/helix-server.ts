import { createKeyRing } from '../src/auth/keys.js';
import type { Database } from '../src/db/database.js';
import { PostgresResultStore } from '../src/db/result-store.js';
import { createInterpretationService } from '../src/interpret/service.js';
import { createLogger } from '../src/logger.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import type { RunFolderAccess } from '../src/pipeline/run-inputs.js';
import { createHelixPubSub, type HelixPubSub } from '../src/pubsub/events.js';
import { bridgePipeline } from '../src/pubsub/pipeline-bridge.js';
import { type ApiServer, createApiServer, type ServerOptions } from '../src/server.js';

/** How a benchmark's server is set up. */
export interface HelixServerOptions {
  /** The one key, an operator's. */
  key: string;
  inputDir: string;
  /** How DIRECTORY runs follow their folders (none: they are refused). */
  folders?: RunFolderAccess;
  responseCache?: ServerOptions['responseCache'];
  limits?: ServerOptions['limits'];
  /** The pubsub to publish to and subscribe through (default: in-process; a replica's is over Redis). */
  pubsub?: HelixPubSub;
  /** How often an idle pipeline publishes a snapshot (default 1 s; a replica that never runs: rarely). */
  idleIntervalMs?: number;
}

/** The API server and its pipeline, wired as `helix serve` wires them, in this process. */
export interface HelixServer {
  server: ApiServer;
  pipeline: Pipeline;
  close(): Promise<void>;
}

/** Wires the API server to a real pipeline over `database` (rules-only interpretation, not started). */
export function helixServer(database: Database, options: HelixServerOptions): HelixServer {
  const logger = createLogger('silent');
  const pubsub = options.pubsub ?? createHelixPubSub();
  const interpretation = createInterpretationService({ pool: database.pool, logger, config: { groq: undefined } });
  const bridge = bridgePipeline({
    pubsub,
    logger,
    ...(options.idleIntervalMs !== undefined && { idleIntervalMs: options.idleIntervalMs }),
  });
  const pipeline = new Pipeline({
    ...(options.folders && { folders: options.folders }),
    store: new PostgresResultStore(database.pool),
    observer: bridge.observer,
  });
  bridge.attach(pipeline);
  const server = createApiServer({
    logger,
    keyRing: createKeyRing([{ role: 'operator', key: options.key }]),
    services: () => ({ database, pipeline, interpretationMetrics: () => interpretation.metrics() }),
    pubsub,
    dashboardOrigin: 'http://127.0.0.1:3000',
    inputDir: options.inputDir,
    ...(options.responseCache !== undefined && { responseCache: options.responseCache }),
    ...(options.limits && { limits: options.limits }),
  });
  return {
    server,
    pipeline,
    async close() {
      await server.close();
      await pipeline.close();
      bridge.close();
    },
  };
}
