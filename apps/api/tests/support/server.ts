import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialSource } from '../../src/auth/caller.js';
import { createKeyRing } from '../../src/auth/keys.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import type { ApiKey } from '../../src/env.js';
import type { ApiLimits } from '../../src/http/limits.js';
import { createInterpretationService } from '../../src/interpret/service.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { Pipeline, type PipelineOptions } from '../../src/pipeline/pipeline.js';
import { createHelixPubSub, type HelixPubSub } from '../../src/pubsub/events.js';
import { bridgePipeline } from '../../src/pubsub/pipeline-bridge.js';
import { type ApiServer, createApiServer, type ServerOptions } from '../../src/server.js';
import { createScratchDatabase, type ScratchDatabase } from './database.js';

/** Keys every in-process test server accepts. */
export const testKeys = {
  operator: 'operator-key-for-tests-0001',
  viewer: 'viewer-key-for-tests-00001',
} as const;

/** The browser origin test servers allow (CORS). */
export const dashboardOrigin = 'http://127.0.0.1:3000';

/** An API server on a free loopback port over its own scratch database, with a real pipeline. */
export interface TestServer {
  url: string;
  wsUrl: string;
  origin: string;
  database: Database;
  pipeline: Pipeline;
  pubsub: HelixPubSub;
  server: ApiServer;
  /** The server's HELIX_INPUT_DIR (a fresh temporary directory). */
  inputDir: string;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  limits?: Partial<ApiLimits>;
  subscriberBuffers?: ServerOptions['subscriberBuffers'];
  pipeline?: Partial<Omit<PipelineOptions, 'store' | 'observer'>>;
  /** Credentials accepted beside the test keys (a local OIDC issuer). */
  credentialSources?: CredentialSource[];
  /** Where the server logs (default: nowhere). */
  logger?: Logger;
}

/** Starts the real server, in process, on a scratch database with migrations applied. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const scratch: ScratchDatabase = await createScratchDatabase();
  const logger = options.logger ?? createLogger('silent');
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
  const inputDir = await mkdtemp(join(tmpdir(), 'helix-inputs-'));
  const keys: ApiKey[] = [
    { role: 'operator', key: testKeys.operator },
    { role: 'viewer', key: testKeys.viewer },
  ];
  const pubsub = createHelixPubSub();
  // Rules only, and not started: the tests that need interpretation run it in tests/interpret.
  const interpretation = createInterpretationService({ pool: database.pool, logger, config: { groq: undefined } });
  let pipeline: Pipeline | undefined;
  const server = createApiServer({
    logger,
    keyRing: createKeyRing(keys),
    ...(options.credentialSources && { credentialSources: options.credentialSources }),
    services: () =>
      pipeline ? { database, pipeline, interpretationMetrics: () => interpretation.metrics() } : undefined,
    pubsub,
    dashboardOrigin,
    inputDir,
    ...(options.limits && { limits: options.limits }),
    ...(options.subscriberBuffers && { subscriberBuffers: options.subscriberBuffers }),
  });
  const bridge = bridgePipeline({
    pubsub,
    logger,
    onRunChanged: (runId) => server.invalidateRun(runId),
    concernAlarm: server.concernAlarm,
  });
  pipeline = new Pipeline({
    folders: { inputDir, settleMs: 500, pollIntervalMs: 100 },
    ...options.pipeline,
    store: new PostgresResultStore(database.pool),
    observer: bridge.observer,
  });
  bridge.attach(pipeline);
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${address.port}`;
  const running = pipeline;
  return {
    url: `${origin}/graphql`,
    wsUrl: `ws://127.0.0.1:${address.port}/graphql`,
    origin,
    database,
    pipeline: running,
    pubsub,
    server,
    inputDir,
    async close() {
      await server.close();
      await running.close();
      bridge.close();
      await database.close();
      await scratch.drop();
      await rm(inputDir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL response as tests read it. */
export interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** Posts a GraphQL operation over HTTP and returns the parsed body. */
export async function postGraphQL(
  url: string,
  query: string,
  options: { key?: string; variables?: Record<string, unknown> } = {},
): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.key && { authorization: `Bearer ${options.key}` }),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** Posts an operation and returns its data, failing loudly on any error. */
export async function queryData<T>(
  url: string,
  query: string,
  options: { key?: string; variables?: Record<string, unknown> } = {},
): Promise<T> {
  const { body } = await postGraphQL(url, query, { key: testKeys.viewer, ...options });
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}
