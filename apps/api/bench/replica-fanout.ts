/**
 * Subscriber fan-out past one process: `BENCH_REPLICAS` helix replicas (default 2) share their
 * events through Redis pub/sub, as `helix serve` with REDIS_URL does; the first runs the pipeline
 * (the one 4 Hz metrics stream, published once into Redis), and graphql-ws subscribers to
 * `queueMetrics(intervalMs: 250)` are dealt to the replicas in turn. Prints, for each number of
 * subscribers per replica, delivered / expected, p50 / p99 delivery lag and each replica's CPU,
 * beside one process holding all of them alone (up to 10,000).
 *
 *   npm run bench -w @helix/api     (all benchmarks)
 *   npx tsx bench/replica-fanout.ts (this one; BENCH_REPLICAS=2 BENCH_REPLICA_SUBSCRIBERS=5000,10000
 *                                    BENCH_API_SUBSCRIPTION_SECONDS=20 BENCH_API_CLIENT=lean|graphql-ws)
 *
 * bench/api.ts measures 2 replicas × 10,000 beside its one-process figures (`measureReplicas`).
 *
 * Uses DATABASE_URL's server (a scratch database) or an embedded PostgreSQL, and a private
 * redis-server on a free port. Every process here shares the machine's cores with the subscribers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { findFreePort } from '../src/db/embedded.js';
import { createLogger } from '../src/logger.js';
import { BENCH_KEY, type Child, type ChildMessage, serveHelix, startChild } from './api-servers.js';
import { scratchDatabase } from './scratch-database.js';
import {
  measureSubscribers,
  type SubscriberClient,
  type SubscriberFigures,
  subscriberLines,
} from './subscriber-load.js';

const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 2);
const PER_REPLICA = (process.env.BENCH_REPLICA_SUBSCRIBERS ?? '5000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_API_SUBSCRIPTION_SECONDS ?? 20);
const CLIENT: SubscriberClient = process.env.BENCH_API_CLIENT === 'graphql-ws' ? 'graphql-ws' : 'lean';
const PREFIX = 'helix-bench-fanout:';
const self = fileURLToPath(import.meta.url);

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
type Usage = Extract<ChildMessage, { kind: 'usage' }>;

/** A private redis-server without persistence. */
export async function startRedis(dir: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await findFreePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  redis.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let waited = 0; !output.includes('Ready to accept connections'); waited += 20) {
    if (redis.exitCode !== null || waited > 10_000) throw new Error(`redis-server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: `redis://127.0.0.1:${port}`, process: redis };
}

/** Stops a redis-server from {@link startRedis}. */
export async function stopRedis(redis: ChildProcess): Promise<void> {
  if (redis.exitCode !== null) return;
  redis.kill();
  await once(redis, 'exit');
}

/**
 * `replicas` replicas over Redis, the first running the pipeline, and `perReplica` subscribers on
 * each; prints the figures. The database must be migrated.
 */
export async function measureReplicas(
  databaseUrl: string,
  redisUrl: string,
  replicas: number,
  perReplica: number,
  client: SubscriberClient = CLIENT,
): Promise<SubscriberFigures> {
  const total = replicas * perReplica;
  process.stdout.write(
    `\n${replicas} replica${replicas > 1 ? 's' : ''} × ${perReplica.toLocaleString('en')} subscribers = ` +
      `${total.toLocaleString('en')} (${client} clients), events through Redis, ${SECONDS} s, during a run\n`,
  );
  const servers: Child[] = [];
  try {
    for (let index = 0; index < replicas; index += 1) {
      servers.push(await startChild(self, ['--serve-replica', databaseUrl, redisUrl]));
    }
    await (servers[0] as Child).request('start-run');
    const usages: Usage[] = [];
    const figures = await measureSubscribers({
      ports: servers.map((server) => server.port),
      subscribers: total,
      seconds: SECONDS,
      key: BENCH_KEY,
      client,
      windowOpens: async () => {
        await Promise.all(servers.map((server) => server.request('mark')));
      },
      windowCloses: async () => {
        for (const server of servers) usages.push((await server.request('usage')) as Usage);
      },
    });
    for (const [label, value] of subscriberLines(figures)) line(`  ${label}`, value);
    line(
      '  replica CPU (the first runs the pipeline)',
      usages.map((usage) => `${((100 * usage.cpuMs) / usage.wallMs).toFixed(1)} %`).join(' / '),
    );
    line(
      '  replica event loop held p99 / max',
      usages.map((usage) => `${usage.loopDelayP99Ms.toFixed(0)} / ${usage.loopDelayMaxMs.toFixed(0)} ms`).join(', '),
    );
    return figures;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === self;

if (process.argv[2] === '--serve-replica') {
  await serveHelix(process.argv[3] as string, true, { redisUrl: process.argv[4] as string, prefix: PREFIX });
} else if (isMain) {
  const directory = await mkdtemp(join(tmpdir(), 'helix-bench-fanout-'));
  const database = await scratchDatabase();
  let redis: ChildProcess | undefined;
  try {
    process.stdout.write(`Replica fan-out benchmark — ${new Date().toISOString()}, ${availableParallelism()} cores\n`);
    // Applies the migrations to the scratch database.
    await (await openDatabase({ databaseUrl: database.url, dataDir: directory, logger: createLogger('warn') })).close();
    const started = await startRedis(directory);
    redis = started.process;
    for (const perReplica of PER_REPLICA) {
      await measureReplicas(database.url, started.url, REPLICAS, perReplica);
      // The same subscribers on one process, where that is within what one process is meant to hold.
      if (REPLICAS * perReplica <= 10_000) await measureReplicas(database.url, started.url, 1, REPLICAS * perReplica);
    }
    line('target (issue 19)', '2 replicas × 10,000: ≥ 99.9 % delivered; one process × 10,000: p99 ≤ 100 ms');
  } finally {
    if (redis) await stopRedis(redis);
    await database.drop();
    await rm(directory, { recursive: true, force: true });
  }
}
