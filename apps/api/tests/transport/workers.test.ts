import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { createLogger } from '../../src/logger.js';
import type { RunOutcome } from '../../src/pipeline/active-run.js';
import type { RunConfigInput } from '../../src/pipeline/config.js';
import type { PipelineStatusChange } from '../../src/pipeline/events.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { connectRedis } from '../../src/transport/redis-connection.js';
import { streamDetectors } from '../../src/transport/stream-detectors.js';
import { streamKeys } from '../../src/transport/stream-keys.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { type RedisServer, startRedisServer } from '../support/redis.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger('silent');
const keys = streamKeys(0);

/** Every call of a run, as comparable text (candidates included). */
function callsOf(outcome: RunOutcome): string[] {
  return outcome.calls
    .map((call) =>
      [
        call.contig,
        call.position,
        call.ref,
        call.alt,
        call.genotype,
        call.depth,
        call.altCount,
        call.quality,
        call.status,
      ].join(' '),
    )
    .sort();
}

describe('detector workers on Redis Streams', () => {
  let redisServer: RedisServer;
  let scratch: ScratchDatabase;
  let database: Database;
  let redis: Redis;
  let env: Record<string, string>;
  const workers: HelixProcess[] = [];

  beforeAll(async () => {
    redisServer = await startRedisServer();
    scratch = await createScratchDatabase();
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
    redis = await connectRedis(redisServer.url, { name: 'test-producer', logger });
    env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisServer.url,
      HELIX_DATA_DIR: await mkdtemp(join(tmpdir(), 'helix-worker-')),
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    redis?.disconnect();
    await database?.close();
    await scratch?.drop();
    await redisServer?.destroy();
  });

  async function startWorkers(count: number): Promise<HelixProcess[]> {
    const started = Array.from({ length: count }, () =>
      runHelix(['worker', '--threads', '1', '--claim-idle-ms', '1500'], env),
    );
    workers.push(...started);
    await Promise.all(started.map((worker) => worker.waitFor('worker ready')));
    return started;
  }

  async function storedBatches(runId: string) {
    const { rows } = await database.pool.query<{
      rows: string;
      sequences: string;
      first: number;
      last: number;
      reads: string;
    }>(
      `SELECT count(*) AS rows, count(DISTINCT sequence) AS sequences, min(sequence) AS first, max(sequence) AS last,
         sum(reads) AS reads FROM analyses WHERE run_id = $1`,
      [runId],
    );
    const row = rows[0] as { rows: string; sequences: string; first: number; last: number; reads: string };
    return {
      rows: Number(row.rows),
      sequences: Number(row.sequences),
      first: row.first,
      last: row.last,
      reads: Number(row.reads),
    };
  }

  /** Checks that the run's batches 0…n-1 are each stored once, holding `reads` reads; returns n. */
  async function expectEveryBatchOnce(runId: string, reads: number): Promise<number> {
    const batches = Math.ceil(reads / 256);
    expect(await storedBatches(runId)).toEqual({
      rows: batches,
      sequences: batches,
      first: 0,
      last: batches - 1,
      reads,
    });
    return batches;
  }

  async function storedVariants(runId: string): Promise<string[]> {
    const { rows } = await database.pool.query<{ site: string }>(
      `SELECT concat_ws(' ', contig, position, ref, alt, genotype, depth, alt_count, quality, status) AS site
       FROM variants WHERE run_id = $1 ORDER BY 1`,
      [runId],
    );
    return rows.map((row) => row.site);
  }

  const config: RunConfigInput = {
    seed: 11,
    referenceLength: 100_000,
    totalReads: 150_000,
    readsPerSecond: 0,
    batchSize: 256,
  };

  it('should store every batch exactly once and call what one process calls, with a worker killed mid-run', async () => {
    const store = new PostgresResultStore(database.pool);
    const single = new Pipeline({ store });
    await single.start(config);
    const alone = await single.whenRunEnds();
    expect(alone.status).toBe('COMPLETED');

    const [doomed, survivor] = (await startWorkers(2)) as [HelixProcess, HelixProcess];
    const distributed = new Pipeline({ store, createDetectors: streamDetectors({ redis, keys }) });
    const run = await distributed.start(config);
    // As fast as it goes, the stream always holds work: the killed worker holds batches it took.
    await waitFor(() => distributed.metrics().readsAnalysed >= 30_000, 60_000, 'the workers to get going');
    await doomed.stop('SIGKILL');
    const [, , , consumers] = (await redis.xpending(keys.batches, keys.group)) as [
      number,
      string,
      string,
      [string, string][],
    ];
    const heldByDead = consumers.find(([name]) => name.endsWith(`-${doomed.child.pid}`));
    expect(Number(heldByDead?.[1] ?? 0)).toBeGreaterThan(0);

    const outcome = await distributed.whenRunEnds();
    expect(outcome.status).toBe('COMPLETED');
    expect(survivor.output()).toContain('took over batches from a worker that went quiet');
    const batches = await expectEveryBatchOnce(run.id, 150_000);
    expect(outcome.totals).toMatchObject({ readsProduced: 150_000, readsAnalysed: 150_000, batchesAnalysed: batches });
    expect(callsOf(outcome)).toEqual(callsOf(alone));
    expect(outcome.calls.filter((call) => call.status === 'CONFIRMED').length).toBeGreaterThan(50);
    expect(await storedVariants(run.id)).toEqual(await storedVariants(alone.runId));
    expect(await redis.xlen(keys.batches)).toBe(0);
    expect(await redis.xlen(keys.deadLetters)).toBe(0);
  }, 120_000);

  it("should call a POPULATION run's allele frequencies in its owner as one process does, the workers only aligning", async () => {
    const store = new PostgresResultStore(database.pool);
    const population: RunConfigInput = { ...config, totalReads: 60_000, mode: 'POPULATION' };
    const single = new Pipeline({ store });
    await single.start(population);
    const alone = await single.whenRunEnds();
    if (workers.every((worker) => worker.child.exitCode !== null)) await startWorkers(1);
    const distributed = new Pipeline({ store, createDetectors: streamDetectors({ redis, keys }) });
    const run = await distributed.start(population);
    const outcome = await distributed.whenRunEnds();
    expect(outcome.status).toBe('COMPLETED');
    expect(outcome.calls.length).toBeGreaterThan(0);
    expect(outcome.calls.every((call) => call.genotype === null)).toBe(true);
    expect(callsOf(outcome)).toEqual(callsOf(alone));
    const strands = (runId: string) =>
      database.pool.query<{ site: string }>(
        `SELECT concat_ws(' ', position, ref, alt, forward_alt_count, reverse_alt_count, forward_ref_count,
           reverse_ref_count, strand_bias, array_to_string(filters, ',')) AS site
         FROM variants WHERE run_id = $1 ORDER BY 1`,
        [runId],
      );
    expect((await strands(run.id)).rows).toEqual((await strands(alone.runId)).rows);
  }, 120_000);

  it('should pause the producer while Redis restarts and finish the run with nothing lost', async () => {
    if (workers.filter((worker) => worker.child.exitCode === null).length === 0) await startWorkers(1);
    const states: PipelineStatusChange[] = [];
    const store = new PostgresResultStore(database.pool);
    const distributed = new Pipeline({
      store,
      createDetectors: streamDetectors({ redis, keys }),
      observer: { status: (change) => states.push(change) },
    });
    const run = await distributed.start({ ...config, seed: 12, totalReads: 120_000, readsPerSecond: 20_000 });
    await waitFor(() => distributed.metrics().readsAnalysed >= 20_000, 60_000, 'the run to get going');
    await redisServer.stop();
    await waitFor(() => distributed.state === 'THROTTLED', 10_000, 'the producer to pause');
    // A batch the producer had already begun may still arrive; after that, nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const producedWhilePaused = distributed.metrics().readsProduced;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(distributed.metrics().readsProduced).toBe(producedWhilePaused);
    await redisServer.start();

    const outcome = await distributed.whenRunEnds();
    expect(outcome.status).toBe('COMPLETED');
    expect(states.map((change) => change.state)).toContain('THROTTLED');
    await expectEveryBatchOnce(run.id, 120_000);
    expect(outcome.totals.readsAnalysed).toBe(120_000);
  }, 120_000);

  it('should warn when no worker takes batches, and withdraw queued ones on a stop without drain', async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    const warnings: string[] = [];
    const distributed = new Pipeline({
      store: new PostgresResultStore(database.pool),
      createDetectors: streamDetectors({ redis, keys, stallAfterMs: 500 }),
      observer: { warning: (message) => warnings.push(message) },
    });
    await distributed.start({ ...config, seed: 13, totalReads: 1_000_000, highWater: 50, lowWater: 10 });
    await waitFor(() => warnings.some((message) => message.includes('no detector worker')), 10_000, 'the warning');
    expect(distributed.state).toBe('THROTTLED');
    const outcome = await distributed.stop(false);
    expect(outcome.status).toBe('STOPPED');
    expect(outcome.totals.readsAnalysed).toBe(0);
    expect(outcome.batchesDiscarded).toBeGreaterThan(50);
    const metrics = distributed.metrics();
    expect(metrics.readsDiscarded).toBe(metrics.readsProduced);
    expect(await redis.xlen(keys.batches)).toBe(0);
  }, 60_000);
});
