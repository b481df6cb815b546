/**
 * Scale-out benchmark: analysed reads/s of one simulated run (same seed, same reads) on
 *
 *   (a) the in-process pipeline with 1 detector thread (the reference),
 *   (b) the in-process pipeline with one detector thread per core,
 *   (c) 1, 2 and 3 `helix worker --threads 1` processes fed through Redis Streams by an in-process
 *       pipeline (streamDetectors),
 *
 * each as totalReads / (time from start() to whenRunEnds()), results stored in PostgreSQL; then
 * the per-worker overhead of the stream ((c) with 1 worker against (a)) and the scaling curve.
 *
 *   npm run bench -w @helix/api          (all benchmarks)
 *   npx tsx bench/scale-out.ts           (this one; BENCH_SCALE_READS=1200000 BENCH_SCALE_REFERENCE=1000000)
 *
 * Uses DATABASE_URL's server or an embedded PostgreSQL, and a private redis-server on a free port.
 * The workers run the built CLI (bin/helix.js → dist): run `npm run build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { type Database, openDatabase } from '../src/db/database.js';
import { findFreePort, startEmbeddedDatabase } from '../src/db/embedded.js';
import { PostgresResultStore } from '../src/db/result-store.js';
import { loadConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import type { RunConfigInput } from '../src/pipeline/config.js';
import type { DetectorsFactory } from '../src/pipeline/detector.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { connectRedis } from '../src/transport/redis-connection.js';
import { streamDetectors } from '../src/transport/stream-detectors.js';
import { streamKeys } from '../src/transport/stream-keys.js';

const READS = Number(process.env.BENCH_SCALE_READS ?? 1_200_000);
const RUN: RunConfigInput = {
  seed: 7,
  referenceLength: Number(process.env.BENCH_SCALE_REFERENCE ?? 1_000_000),
  totalReads: READS,
  readsPerSecond: 0,
  batchSize: 256,
};
const WORKER_COUNTS = [1, 2, 3];
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));
const logger = createLogger('silent');
const cores = availableParallelism();

/** One measured setup. */
interface Measurement {
  setup: string;
  seconds: number;
  readsPerSecond: number;
}

/** A child process (redis-server or a worker) with the tail of its output kept for error messages. */
interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`; rejects if the process exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal`, and SIGKILL if the process has not exited 10 s later. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Every child started, so they can all be killed whatever happens. */
const children = new Set<Child>();

function startChild(command: string, args: string[], env?: Record<string, string>): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env && { env }) });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'exit');
  const handle: Child = {
    process: child,
    output: () => output,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before "${text}":\n${output}`);
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}" from ${command}:\n${output}`);
        await sleep(20);
      }
    },
    async stop(signal = 'SIGTERM') {
      children.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
  children.add(handle);
  return handle;
}

/** A private redis-server without persistence, data in `dir`. */
async function startRedis(dir: string): Promise<{ url: string; child: Child }> {
  const port = await findFreePort();
  const child = startChild('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await child.waitFor('Ready to accept connections', 10_000);
  return { url: `redis://127.0.0.1:${port}`, child };
}

/** PostgreSQL as the other benchmarks use it: DATABASE_URL's, or an embedded server under `dir`. */
async function postgres(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const configured = loadConfig().databaseUrl;
  if (configured) return { url: configured, stop: async () => undefined };
  // As root the embedded server runs as `postgres`, which must be able to enter the scratch directory.
  await chmod(dir, 0o711);
  return startEmbeddedDatabase(join(dir, 'postgres'), createLogger('warn'));
}

/**
 * Runs the benchmark's run once on a fresh pipeline and times it from start() to the end of the
 * run (everything analysed and stored). `failed` rejects if the detectors go away meanwhile.
 */
async function measure(
  setup: string,
  database: Database,
  options: { workers?: number; createDetectors?: DetectorsFactory },
  failed: Promise<never> = new Promise(() => undefined),
): Promise<Measurement> {
  const pipeline = new Pipeline({
    store: new PostgresResultStore(database.pool),
    ...(options.createDetectors && { createDetectors: options.createDetectors }),
  });
  try {
    const started = performance.now();
    await Promise.race([pipeline.start({ ...RUN, ...(options.workers && { workers: options.workers }) }), failed]);
    const outcome = await Promise.race([pipeline.whenRunEnds(), failed]);
    const seconds = (performance.now() - started) / 1_000;
    if (outcome.status !== 'COMPLETED' || outcome.totals.readsAnalysed !== READS) {
      throw new Error(
        `${setup}: run ended ${outcome.status} with ${outcome.totals.readsAnalysed} of ${READS} reads analysed`,
      );
    }
    return { setup, seconds, readsPerSecond: READS / seconds };
  } finally {
    // A no-op after a completed run; after a failure, batches held by a dead worker never settle.
    await Promise.race([pipeline.close(), sleep(5_000)]);
  }
}

/** Starts `count` `helix worker --threads 1` processes and waits until each says it is ready. */
async function startWorkers(count: number, env: Record<string, string>): Promise<Child[]> {
  const workers = Array.from({ length: count }, () =>
    startChild(process.execPath, [helixBin, 'worker', '--threads', '1'], env),
  );
  await Promise.all(workers.map((worker) => worker.waitFor('worker ready')));
  return workers;
}

/** How long a worker took to build its run's index (logged when its first batch of the run arrived). */
function indexMs(worker: Child): number | undefined {
  for (const text of worker.output().split('\n')) {
    if (!text.includes('ready for a new run')) continue;
    const entry = JSON.parse(text) as { indexMs?: number };
    return entry.indexMs;
  }
  return undefined;
}

/** Rejects as soon as one of `workers` exits (a run would otherwise wait for it forever). */
function anyExit(workers: Child[]): Promise<never> {
  return Promise.race(
    workers.map(async (worker) => {
      await once(worker.process, 'exit');
      throw new Error(`a worker exited during the run:\n${worker.output()}`);
    }),
  );
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (value: number) => `${(100 * value).toFixed(1)} %`;
const row = (setup: string, seconds: string, readsPerSecond: string, ratio: string) =>
  console.log(`${setup.padEnd(52)} ${seconds.padStart(8)} ${readsPerSecond.padStart(10)} ${ratio.padStart(8)}`);
const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

const directory = await mkdtemp(join(tmpdir(), 'helix-bench-scale-'));
let redis: Redis | undefined;
let database: Database | undefined;
let redisServer: Child | undefined;
let stopPostgres: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;

/** Stops every child (workers first: they finish the batches in hand, which needs Redis) and removes the scratch. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    redis?.disconnect();
    await Promise.all([...children].filter((child) => child !== redisServer).map((child) => child.stop()));
    await redisServer?.stop();
    await database?.close();
    await stopPostgres?.();
    await rm(directory, { recursive: true, force: true });
  })();
  return cleaning;
}

// Last resorts: on Ctrl-C or a kill, clean up and leave; if the process exits anyway, no child outlives it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // The interrupted run's Redis reads fail as their connection closes; nobody is left to care.
    process.on('unhandledRejection', () => undefined);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  for (const child of children) child.process.kill('SIGKILL');
});

try {
  const pg = await postgres(directory);
  stopPostgres = () => pg.stop();
  database = await openDatabase({ databaseUrl: pg.url, dataDir: directory, logger });
  const started = await startRedis(directory);
  redisServer = started.child;
  redis = await connectRedis(started.url, { name: 'helix-bench-producer', logger });
  const workerEnv = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    DATABASE_URL: pg.url,
    REDIS_URL: started.url,
    HELIX_DATA_DIR: directory,
  };

  console.log(
    `# scale-out: ${READS.toLocaleString('en-US')} simulated reads (seed ${RUN.seed}, ` +
      `${((RUN.referenceLength as number) / 1e6).toFixed(1)} Mbp reference, batches of ${RUN.batchSize}), ` +
      `as fast as possible, stored in PostgreSQL; ${cores} cores`,
  );
  // Warm-up (not counted): JIT, the native module, PostgreSQL's caches.
  await measure('warm-up', database, { workers: 1 });

  const results: Measurement[] = [];
  results.push(await measure('(a) in-process, 1 detector thread', database, { workers: 1 }));
  results.push(await measure(`(b) in-process, ${cores} detector threads (one per core)`, database, {}));
  const createDetectors = streamDetectors({ redis, keys: streamKeys(0) });
  const indexTimes: string[] = [];
  for (const count of WORKER_COUNTS) {
    // Start-up (process, database, Redis connections) is outside the timing; each worker builds
    // the run's index when its first batch arrives, which is inside it.
    const workers = await startWorkers(count, workerEnv);
    try {
      const setup = `(c) ${count} worker process${count > 1 ? 'es' : ''} × 1 thread, via Redis`;
      results.push(await measure(setup, database, { createDetectors }, anyExit(workers)));
      indexTimes.push(`${count}: ${workers.map((worker) => `${indexMs(worker) ?? '?'} ms`).join(' / ')}`);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  }

  const reference = results[0] as Measurement;
  console.log();
  row('setup', 'time', 'reads/s', 'vs (a)');
  for (const result of results) {
    row(
      result.setup,
      `${result.seconds.toFixed(2)} s`,
      format(result.readsPerSecond),
      `${(result.readsPerSecond / reference.readsPerSecond).toFixed(2)}x`,
    );
  }
  console.log(
    'Times run from start() to the end of the run (every read analysed and stored). They include building the\n' +
      "run's index: in start() (the producer of (c) builds it too), and in each worker again when its first batch\n" +
      `arrives (workers ${indexTimes.join('; ')}). Worker start-up is not included.`,
  );

  const [oneWorker, ...moreWorkers] = results.slice(2) as [Measurement, ...Measurement[]];
  console.log();
  line(
    'per-worker overhead (1 − (c) 1 worker / (a))',
    percent(1 - oneWorker.readsPerSecond / reference.readsPerSecond),
  );
  console.log(
    '  the same one detector thread, but each batch goes to Redis and its evidence comes back, and the\n' +
      '  detector runs in another process (its own index, results stored from there) beside the producer',
  );
  line(
    'scaling vs 1 worker process',
    moreWorkers
      .map((result, index) => {
        const count = WORKER_COUNTS[index + 1];
        return `${count} workers ${(result.readsPerSecond / oneWorker.readsPerSecond).toFixed(2)}x`;
      })
      .join(', '),
  );
  console.log(
    `  on this machine's ${cores} cores, which the workers share with the producer (this process: simulation,\n` +
      '  pileup, calling), redis-server and PostgreSQL',
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
// A run that failed half-way may leave timers behind; nothing more is to be done.
if (process.exitCode) process.exit();
