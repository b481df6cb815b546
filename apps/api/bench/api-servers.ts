/**
 * The API benchmark's servers, each run in a child process of its own (`fork` of bench/api.ts with
 * a `--serve-*` argument), so the load generator in the parent never shares their event loop:
 * helix (with or without the response cache), a constant `{ hello }` yoga server (the ceiling),
 * and PostGraphile over the same database (the peer).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSchema, createYoga } from 'graphql-yoga';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { poolConfigFromUrl } from '../src/db/pool.js';
import { createLogger, type Logger } from '../src/logger.js';
import { createHelixPubSub } from '../src/pubsub/events.js';
import { connectRedis, duplicateConnection } from '../src/transport/redis-connection.js';
import { createPrefixedRedisEventTarget } from '../src/transport/redis-pubsub.js';
import { helixServer } from './helix-server.js';

/** The one key of the benchmark's helix servers, an operator's. */
export const BENCH_KEY = 'bench-viewer-and-operator-key-0001';

/** Messages between the benchmark and its server processes. */
export type ChildMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'usage'; cpuMs: number; rssBytes: number; wallMs: number; loopDelayP99Ms: number; loopDelayMaxMs: number }
  | { kind: 'started' };

/** A server process, driven by messages. */
export interface Child {
  process: ChildProcess;
  port: number;
  /** Sends `kind` and waits for the answer (`mark` has none). */
  request(kind: string): Promise<ChildMessage | undefined>;
  stop(): Promise<void>;
}

/**
 * Forks `script` with `args` (a `--serve-*` role) and waits until it listens. Servers run as
 * deployed: NODE_ENV=production (graphql-js skips its development checks).
 */
export async function startChild(script: string, args: string[], env: Record<string, string> = {}): Promise<Child> {
  // BENCH_API_PROFILE_DIR=dir writes each server's CPU profile there (for looking, not for figures).
  const profile = process.env.BENCH_API_PROFILE_DIR;
  const child = fork(script, args, {
    execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  const [ready] = (await once(child, 'message')) as [ChildMessage];
  if (ready.kind !== 'ready') throw new Error('server did not start');
  return {
    process: child,
    port: ready.port,
    async request(kind) {
      child.send({ kind });
      if (kind === 'mark') return undefined;
      const [reply] = (await once(child, 'message')) as [ChildMessage];
      return reply;
    },
    async stop() {
      child.send({ kind: 'stop' });
      await once(child, 'exit');
    },
  };
}

/** Answers `mark` / `usage` (CPU and RSS since the mark) and `stop` for a server process. */
function answerUsage(stop: () => Promise<void>, more: (kind: string) => Promise<void> = async () => undefined) {
  // A benchmark that failed leaves no server behind.
  process.on('disconnect', () => process.exit(1));
  let since = { cpu: process.cpuUsage(), at: performance.now() };
  // How long the event loop is held at a time: one event's fan-out to every socket holds it.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  process.on('message', async (message: { kind: string }) => {
    if (message.kind === 'mark') {
      since = { cpu: process.cpuUsage(), at: performance.now() };
      loopDelay.reset();
    } else if (message.kind === 'usage') {
      const cpu = process.cpuUsage(since.cpu);
      process.send?.({
        kind: 'usage',
        cpuMs: (cpu.user + cpu.system) / 1_000,
        rssBytes: process.memoryUsage().rss,
        wallMs: performance.now() - since.at,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      } satisfies ChildMessage);
    } else if (message.kind === 'stop') {
      await stop();
      process.exit(0);
    } else {
      await more(message.kind);
    }
  });
}

/** A replica's connection to the others: events published by one reach every replica's subscribers. */
export interface ReplicaOptions {
  redisUrl: string;
  /** Channel prefix of this deployment's events. */
  prefix: string;
}

/** The pubsub of `helix serve` with scale-out: Redis pub/sub under `prefix`. */
async function replicaPubSub(options: ReplicaOptions, logger: Logger) {
  const publisher = await connectRedis(options.redisUrl, { name: 'helix-bench-replica', logger });
  const subscriber = duplicateConnection(publisher, 'helix-bench-replica-events');
  const pubsub = createHelixPubSub(createPrefixedRedisEventTarget({ publisher, subscriber, prefix: options.prefix }));
  return {
    pubsub,
    close: () => {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}

/**
 * helix as `helix serve` wires it; `start-run` starts a simulated run (the 4 Hz metrics stream).
 * With `replica`, its events go through Redis, as between the replicas of a deployment.
 */
export async function serveHelix(databaseUrl: string, responseCache: boolean, replica?: ReplicaOptions): Promise<void> {
  const logger = createLogger('silent');
  const database = await openDatabase({ databaseUrl, dataDir: tmpdir(), logger, migrate: false });
  const shared = replica && (await replicaPubSub(replica, logger));
  const helix = helixServer(database, {
    key: BENCH_KEY,
    inputDir: tmpdir(),
    responseCache,
    limits: { mutationBurst: 1_000 },
    // Only the replica that runs the pipeline should speak for it; idle replicas stay quiet.
    ...(shared && { pubsub: shared.pubsub, idleIntervalMs: 3_600_000 }),
  });
  const { server, pipeline } = helix;
  const address = await server.listen(0, '127.0.0.1');
  answerUsage(
    async () => {
      await helix.close();
      shared?.close();
      await database.close();
    },
    async (kind) => {
      if (kind !== 'start-run') return;
      await pipeline.start({ referenceLength: 50_000, readsPerSecond: 2_000, workers: 1, seed: 11 });
      process.send?.({ kind: 'started' } satisfies ChildMessage);
    },
  );
  process.send?.({ kind: 'ready', port: address.port } satisfies ChildMessage);
}

/** A minimal graphql-yoga server answering a constant `{ hello }`: what one request costs at least. */
export async function serveHello(): Promise<void> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
  });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  answerUsage(async () => undefined);
  process.send?.({ kind: 'ready', port: (server.address() as { port: number }).port } satisfies ChildMessage);
}

/**
 * PostGraphile 5 (Amber preset, the connection-filter plugin for `>=` and `IN`) over the same
 * database, with a pool as large as helix's (10). PostGraphile 5 asks for Node 22: on Node 20 it only
 * lacks `Promise.withResolvers`, polyfilled here before it loads.
 */
export async function servePostGraphile(databaseUrl: string): Promise<void> {
  polyfillPromiseWithResolvers();
  const { postgraphile } = await import('postgraphile');
  const { grafserv } = await import('postgraphile/grafserv/node');
  const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
  const { makePgService } = await import('postgraphile/adaptors/pg');
  const { PostGraphileConnectionFilterPreset } = await import('postgraphile-plugin-connection-filter');
  const pool = new pg.Pool({ ...poolConfigFromUrl(databaseUrl), max: 10 });
  pool.on('error', () => undefined);
  const instance = postgraphile({
    extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
    // By default PostGraphile filters and orders only by indexed columns; `type` has none.
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', watch: false, graphiql: false },
    grafast: { explain: false },
  });
  const serv = instance.createServ(grafserv);
  const server = createServer();
  serv.addTo(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  answerUsage(async () => {
    server.close();
    await instance.release();
    await pool.end();
  });
  process.send?.({ kind: 'ready', port: (server.address() as { port: number }).port } satisfies ChildMessage);
}

/** `Promise.withResolvers` (Node 22) for Node 20. */
function polyfillPromiseWithResolvers(): void {
  const promise = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (promise.withResolvers) return;
  promise.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: created, resolve, reject };
  };
}
