import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { numberFlag } from '../cli/flags.js';
import { openDatabase } from '../db/database.js';
import { PostgresResultStore } from '../db/result-store.js';
import { ConfigError, loadConfig } from '../env.js';
import { createLogger } from '../logger.js';
import { connectRedis, redisDatabaseIndex } from '../transport/redis-connection.js';
import { streamKeys } from '../transport/stream-keys.js';
import { StreamWorker } from '../transport/stream-worker.js';
import { serveWorkerMetrics } from '../transport/worker-metrics.js';

/** `helix worker` usage text. */
export const WORKER_USAGE = `usage: helix worker [--threads N] [--claim-idle-ms 30000] [--max-deliveries 5] [--metrics-port P]

A detector worker process for scale-out: takes batches from the Redis stream the API writes,
analyses them, and stores the results in PostgreSQL. Needs REDIS_URL and DATABASE_URL (the
same ones the API uses). Run as many as you like, on any machine.

  --threads N            detector threads (default: one per core)
  --claim-idle-ms MS     take over another worker's batch pending this long (default 30000)
  --max-deliveries N     move a batch delivered more often to helix:batches:dead (default 5)
  --metrics-port P       serve Prometheus metrics on http://0.0.0.0:P/metrics (default: none)`;

/** How often a worker logs what it has done. */
const REPORT_EVERY_MS = 10_000;

/** Runs `helix worker` until SIGINT / SIGTERM, then finishes the batches in hand and exits. */
export async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      threads: { type: 'string' },
      'claim-idle-ms': { type: 'string' },
      'max-deliveries': { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  const threads = numberFlag('threads', values.threads, { integer: true, min: 1, max: 64 });
  const claimIdleMs = numberFlag('claim-idle-ms', values['claim-idle-ms'], { integer: true, min: 100 });
  const maxDeliveries = numberFlag('max-deliveries', values['max-deliveries'], { integer: true, min: 1, max: 1_000 });
  const metricsPort = numberFlag('metrics-port', values['metrics-port'], { integer: true, min: 1, max: 65_535 });
  const config = loadConfig();
  if (!config.redisUrl) throw new ConfigError('REDIS_URL is not set: a worker takes its batches from Redis');
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is not set: a worker stores results in the PostgreSQL the API uses');
  }
  const logger = createLogger(config.logLevel, { pretty: process.stdout.isTTY });
  const consumer = `${hostname()}-${process.pid}`;
  const redis = await connectRedis(config.redisUrl, { name: `helix-worker-${consumer}`, logger });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  const streamWorker = new StreamWorker({
    redis,
    keys: streamKeys(redisDatabaseIndex(config.redisUrl)),
    store: new PostgresResultStore(database.pool),
    logger,
    consumer,
    ...(threads !== undefined && { threads }),
    ...(config.indexDir !== undefined && { indexDir: config.indexDir }),
    ...(claimIdleMs !== undefined && { claimIdleMs }),
    ...(maxDeliveries !== undefined && { maxDeliveries }),
  });
  await streamWorker.start();
  const metrics =
    metricsPort === undefined ? undefined : await serveWorkerMetrics(streamWorker.stats, metricsPort, '0.0.0.0');
  logger.info({ consumer, threads: threads ?? 'one per core' }, 'worker ready');
  let reported = { ...streamWorker.stats };
  const report = setInterval(() => {
    const now = { ...streamWorker.stats };
    if (now.batches === reported.batches && now.deadLettered === reported.deadLettered) return;
    const readsPerSecond = Math.round(((now.reads - reported.reads) * 1_000) / REPORT_EVERY_MS);
    logger.info({ ...now, readsPerSecond }, 'worker progress');
    reported = now;
  }, REPORT_EVERY_MS);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'worker stopping after the batches in hand');
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  clearInterval(report);
  await metrics?.close();
  await streamWorker.stop();
  await database.close();
  redis.disconnect();
  logger.info({ ...streamWorker.stats }, 'worker stopped');
}
