import { mkdtemp } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { type Delivered, EventLog, sleep } from '../api/support.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { type TestRedis, testRedis } from '../support/redis.js';
import { operatorGraphql, type ReplicaProcess, startReplicaProcess } from '../support/replica-process.js';
import { testKeys } from '../support/server.js';

interface MetricsEvent {
  queueMetrics: { state: string; readsAnalysed: number };
}

/** A GraphQL POST whose body is held back, so the request stays in flight until `finish`. */
async function heldRequest(replica: ReplicaProcess): Promise<{ finish(): Promise<string> }> {
  const url = new URL(replica.url);
  const body = JSON.stringify({ query: '{ pipeline { state } }' });
  const socket: Socket = connect(Number(url.port), url.hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString();
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
      `authorization: Bearer ${testKeys.viewer}\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
  );
  return {
    async finish() {
      socket.write(body.slice(5));
      await ended;
      return answer;
    },
  };
}

/** An SSE subscription to queueMetrics; `ended` resolves with what it carried and whether it was cut. */
async function sseStream(
  replica: ReplicaProcess,
): Promise<{ opened: Promise<void>; ended: Promise<{ text: string; cut: boolean }> }> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${testKeys.viewer}`,
    },
    body: JSON.stringify({ query: 'subscription { queueMetrics(intervalMs: 100) { state } }' }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let firstEvent: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    firstEvent = resolve;
  });
  const read = async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { text, cut: false };
        text += decoder.decode(value, { stream: true });
        if (text.includes('event: next')) firstEvent();
      }
    } catch {
      return { text, cut: true };
    }
  };
  return { opened, ended: read() };
}

/** Asks /ready until it answers (the replica is still listening while it drains). */
async function readiness(replica: ReplicaProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/ready', replica.url));
  return { status: response.status, body: await response.json() };
}

describe('a rolling restart of the replica that owns the run', () => {
  let redisServer: TestRedis;
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  const processes: HelixProcess[] = [];
  let owner: ReplicaProcess;
  let other: ReplicaProcess;

  beforeAll(async () => {
    redisServer = await testRedis(12);
    scratch = await createScratchDatabase();
    env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisServer.url,
      HELIX_API_KEYS: `operator:${testKeys.operator},viewer:${testKeys.viewer}`,
      HELIX_DATA_DIR: await mkdtemp(join(tmpdir(), 'helix-rolling-')),
      HELIX_DRAIN_TIMEOUT_MS: '10000',
      PORT: '0',
    };
    // One at a time: the first applies the migrations.
    owner = await startReplicaProcess(env);
    processes.push(owner.process);
    other = await startReplicaProcess(env);
    processes.push(other.process);
    const worker = runHelix(['worker', '--threads', '1'], env);
    processes.push(worker);
    await worker.waitFor('worker ready');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await scratch?.drop();
    await redisServer?.release();
  });

  it('should drain the owner on SIGTERM, losing no batch and counting none twice, while clients move to the other replica', async () => {
    const started = await operatorGraphql<{ startPipeline: { id: string } }>(
      owner,
      'mutation { startPipeline(input: { referenceLength: 100000, readsPerSecond: 5000, seed: 5 }) { ... on Run { id } } }',
    );
    const runId = started.startPipeline.id;

    // The client's first connection goes to the owner, every later one to the other replica.
    const connectedTo: string[] = [];
    const closeCodes: number[] = [];
    const client = createClient({
      url: () => {
        const replica = connectedTo.length === 0 ? owner : other;
        connectedTo.push(replica.url);
        return replica.url.replace('http:', 'ws:');
      },
      webSocketImpl: WebSocket,
      retryAttempts: 5,
      retryWait: async () => {
        await sleep(100);
      },
      on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
      connectionParams: { authorization: `Bearer ${testKeys.viewer}` },
    });
    const log = new EventLog<Delivered<MetricsEvent>>();
    const unsubscribe = client.subscribe<MetricsEvent>(
      { query: 'subscription { queueMetrics(intervalMs: 100) { state readsAnalysed } }' },
      {
        next: (result) => log.push(result as Delivered<MetricsEvent>),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await log.waitFor(
        (event) => event.data?.queueMetrics.state === 'RUNNING' && event.data.queueMetrics.readsAnalysed > 0,
      );
      const inFlight = await heldRequest(owner);
      const sse = await sseStream(owner);
      await sse.opened;
      await sleep(200);

      owner.process.child.kill('SIGTERM');
      await owner.process.waitFor('draining');
      expect(await readiness(owner)).toEqual({ status: 503, body: { status: 'draining' } });
      await expect.poll(() => closeCodes, { timeout: 5_000 }).toContain(1001);
      // The SSE stream is cut, not completed: `complete` would tell the client the operation is
      // over, while a dropped stream is what SSE clients retry (at another replica).
      const streamed = await sse.ended;
      expect(streamed.cut).toBe(true);
      expect(streamed.text).toContain('event: next');
      expect(streamed.text).not.toContain('event: complete');

      // The request that was in flight when SIGTERM arrived is answered, not cut.
      const answer = await inFlight.finish();
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer).toContain('"pipeline"');
      expect(await owner.process.exited).toBe(0);

      // The subscription goes on at the other replica, which sees the run stopped.
      const from = log.events.length;
      await log.waitFor((event) => event.data?.queueMetrics.state === 'IDLE', 15_000, from);
      expect(connectedTo.slice(1).every((url) => url === other.url)).toBe(true);
      expect(connectedTo.length).toBeGreaterThan(1);
    } finally {
      unsubscribe();
      await client.dispose();
    }

    const db = new pg.Client(poolConfigFromUrl(scratch.url));
    await db.connect();
    try {
      const run = await db.query<{ status: string; produced: string; analysed: string; batches: number }>(
        'SELECT status, reads_produced AS produced, reads_analysed AS analysed, batches_analysed AS batches FROM runs WHERE id = $1',
        [runId],
      );
      const stored = await db.query<{ rows: string; sequences: string; first: number; last: number; reads: string }>(
        `SELECT count(*) AS rows, count(DISTINCT sequence) AS sequences, min(sequence) AS first, max(sequence) AS last,
                sum(reads) AS reads
           FROM analyses WHERE run_id = $1`,
        [runId],
      );
      const [totals, batches] = [run.rows[0], stored.rows[0]];
      expect(totals?.status).toBe('STOPPED');
      expect(Number(totals?.produced)).toBeGreaterThan(0);
      expect(totals?.analysed).toBe(totals?.produced);
      // Every batch stored once, none missing between the first and the last.
      expect(Number(batches?.rows)).toBe(totals?.batches);
      expect(batches?.sequences).toBe(batches?.rows);
      expect(Number(batches?.last) - Number(batches?.first) + 1).toBe(Number(batches?.rows));
      expect(batches?.reads).toBe(totals?.analysed);
    } finally {
      await db.end();
    }

    // Started again, the replica is ready and may own the next run: the lease was given back.
    owner = await startReplicaProcess(env);
    processes.push(owner.process);
    expect(await readiness(owner)).toEqual({ status: 200, body: { status: 'ready' } });
    const next = await operatorGraphql<{ startPipeline: { __typename: string } }>(
      owner,
      'mutation { startPipeline(input: { referenceLength: 100000, readsPerSecond: 2000, seed: 6 }) { __typename } }',
    );
    expect(next.startPipeline.__typename).toBe('Run');
    const stopped = await operatorGraphql<{ stopPipeline: { status: string } }>(
      other,
      'mutation { stopPipeline(drain: true) { ... on Run { status } } }',
    );
    expect(stopped.stopPipeline.status).toBe('STOPPED');
  }, 120_000);
});
