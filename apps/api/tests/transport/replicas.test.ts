import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Delivered, EventLog } from '../api/support.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { type TestRedis, testRedis } from '../support/redis.js';
import { operatorGraphql, type ReplicaProcess, startReplicaProcess } from '../support/replica-process.js';
import { testKeys } from '../support/server.js';

interface MetricsEvent {
  queueMetrics: { state: string; readsAnalysed: number; at: string };
}

describe('two API replicas on one Redis', () => {
  let redisServer: TestRedis;
  let scratch: ScratchDatabase;
  const processes: HelixProcess[] = [];
  const replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redisServer = await testRedis(1);
    scratch = await createScratchDatabase();
    const env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisServer.url,
      HELIX_API_KEYS: `operator:${testKeys.operator},viewer:${testKeys.viewer}`,
      HELIX_DATA_DIR: await mkdtemp(join(tmpdir(), 'helix-replicas-')),
      PORT: '0',
    };
    // One at a time: the first applies the migrations.
    for (let index = 0; index < 2; index += 1) {
      const replica = await startReplicaProcess(env);
      processes.push(replica.process);
      replicas.push(replica);
    }
    const worker = runHelix(['worker', '--threads', '1'], env);
    processes.push(worker);
    await worker.waitFor('worker ready');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await scratch?.drop();
    await redisServer?.release();
  });

  it('should show a run started through one replica to subscribers of the other, and take its commands', async () => {
    const [first, second] = replicas as [ReplicaProcess, ReplicaProcess];
    const client = createClient({
      url: second.url.replace('http:', 'ws:'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${testKeys.viewer}` },
    });
    const log = new EventLog<Delivered<MetricsEvent>>();
    const unsubscribe = client.subscribe<MetricsEvent>(
      { query: 'subscription { queueMetrics(intervalMs: 100) { state readsAnalysed at } }' },
      {
        next: (result) => log.push(result as Delivered<MetricsEvent>),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await log.waitFor((event) => event.data?.queueMetrics.state === 'IDLE');
      const started = await operatorGraphql<{ startPipeline: { __typename: string; id: string } }>(
        first,
        'mutation { startPipeline(input: { referenceLength: 100000, readsPerSecond: 5000, seed: 3 }) { __typename ... on Run { id } } }',
      );
      expect(started.startPipeline.__typename).toBe('Run');
      const running = await log.waitFor(
        (event) => event.data?.queueMetrics.state === 'RUNNING' && event.data.queueMetrics.readsAnalysed > 0,
      );
      expect(new Date(running.data?.queueMetrics.at as string).getTime()).toBeGreaterThan(Date.now() - 10_000);

      // One producer per run: the second replica refuses another, and knows the first's run.
      const refused = await operatorGraphql<{ startPipeline: { __typename: string; message: string } }>(
        second,
        'mutation { startPipeline(input: { seed: 4 }) { __typename ... on PipelineAlreadyRunningError { message } } }',
      );
      expect(refused.startPipeline.__typename).toBe('PipelineAlreadyRunningError');
      const seen = await operatorGraphql<{ pipeline: { state: string; run: { id: string } | null } }>(
        second,
        '{ pipeline { state run { id } } }',
      );
      expect(seen.pipeline).toEqual({ state: 'RUNNING', run: { id: started.startPipeline.id } });

      // Commands sent to the second replica are carried out by the first.
      const thresholds = await operatorGraphql<{ updateThresholds: { highWater: number; lowWater: number } }>(
        second,
        'mutation { updateThresholds(highWater: 300, lowWater: 50) { highWater lowWater } }',
      );
      expect(thresholds.updateThresholds).toEqual({ highWater: 300, lowWater: 50 });
      const stopped = await operatorGraphql<{ stopPipeline: { __typename: string; id: string; status: string } }>(
        second,
        'mutation { stopPipeline(drain: true) { __typename ... on Run { id status } } }',
      );
      expect(stopped.stopPipeline).toEqual({ __typename: 'Run', id: started.startPipeline.id, status: 'STOPPED' });
      const from = log.events.length;
      await log.waitFor((event) => event.data?.queueMetrics.state === 'IDLE', 15_000, from);
      const idle = await operatorGraphql<{ pipeline: { state: string } }>(second, '{ pipeline { state } }');
      expect(idle.pipeline.state).toBe('IDLE');
      const stats = await operatorGraphql<{ stats: { readsAnalysed: number; batchesAnalysed: number } }>(
        second,
        `{ stats(runId: "${started.startPipeline.id}") { readsAnalysed batchesAnalysed } }`,
      );
      expect(stats.stats.readsAnalysed).toBeGreaterThan(0);
    } finally {
      unsubscribe();
      await client.dispose();
    }
  }, 90_000);
});

describe('Redis unreachable at start', () => {
  it('should make helix serve and helix worker exit 1 naming the URL, password hidden', async () => {
    const redisUrl = 'redis://:secret-password@127.0.0.1:1/0';
    const env = {
      REDIS_URL: redisUrl,
      DATABASE_URL: 'postgresql://helix:helix@127.0.0.1:1/helix',
      HELIX_API_KEYS: `operator:${testKeys.operator}`,
      HELIX_DATA_DIR: await mkdtemp(join(tmpdir(), 'helix-no-redis-')),
      PORT: '0',
    };
    for (const args of [['serve'], ['worker']]) {
      const child = runHelix(args, env);
      expect(await child.exited).toBe(1);
      expect(child.output()).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0 is not reachable/);
      expect(child.output()).not.toContain('secret-password');
    }
  }, 30_000);

  it('should make helix worker say which setting is missing', async () => {
    const child = runHelix(['worker'], { DATABASE_URL: 'postgresql://helix:helix@127.0.0.1:1/helix' });
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('REDIS_URL is not set');
  });
});
