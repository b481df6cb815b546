/**
 * API benchmark, two parts, each server in a child process of its own (the load runs here):
 *
 * (a) The `variants` query (filtered, ordered, first: 50, with totalCount) over a finished run of
 *     200,000 synthetic variant rows, under autocannon (50 connections) — with the response cache
 *     (the default for finished runs) and without it — against a minimal graphql-yoga server
 *     answering a constant `{ hello }` in the same run (the ceiling), as ratios.
 * (b) 2,000 graphql-ws subscribers to `queueMetrics(intervalMs: 250)` while a run goes on (the
 *     pipeline's one 4 Hz metrics stream): delivered / published, p99 delivery lag, server CPU and RSS.
 *
 *   npm run bench -w @helix/api     (all benchmarks)
 *   npx tsx bench/api.ts            (this one; BENCH_API_SECONDS=10 BENCH_API_SUBSCRIBERS=2000
 *                                    BENCH_API_SUBSCRIPTION_SECONDS=20 BENCH_API_ROWS=200000)
 *
 * Uses DATABASE_URL's server (in a scratch database, dropped afterwards) or an embedded PostgreSQL.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from 'graphql-ws';
import { createSchema, createYoga } from 'graphql-yoga';
import WebSocket from 'ws';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { helixServer } from './helix-server.js';
import { scratchDatabase } from './scratch-database.js';

const KEY = 'bench-viewer-and-operator-key-0001';
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const ROWS = Number(process.env.BENCH_API_ROWS ?? 200_000);
const SUBSCRIBERS = Number(process.env.BENCH_API_SUBSCRIBERS ?? 2_000);
const SUBSCRIPTION_SECONDS = Number(process.env.BENCH_API_SUBSCRIPTION_SECONDS ?? 20);
const self = fileURLToPath(import.meta.url);

/** Messages between the benchmark and its server processes. */
type ChildMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'usage'; cpuMs: number; rssBytes: number; wallMs: number }
  | { kind: 'started' };

// ————————————————————————————————————— server processes —————————————————————————————————————

async function serveHelix(databaseUrl: string, responseCache: boolean): Promise<void> {
  const logger = createLogger('silent');
  const database = await openDatabase({ databaseUrl, dataDir: tmpdir(), logger, migrate: false });
  const helix = helixServer(database, {
    key: KEY,
    inputDir: tmpdir(),
    responseCache,
    limits: { mutationBurst: 1_000 },
  });
  const { server, pipeline } = helix;
  const address = await server.listen(0, '127.0.0.1');
  let since = { cpu: process.cpuUsage(), at: performance.now() };
  process.on('message', async (message: { kind: string }) => {
    if (message.kind === 'start-run') {
      await pipeline.start({ referenceLength: 50_000, readsPerSecond: 2_000, workers: 1, seed: 11 });
      process.send?.({ kind: 'started' } satisfies ChildMessage);
    } else if (message.kind === 'mark') {
      since = { cpu: process.cpuUsage(), at: performance.now() };
    } else if (message.kind === 'usage') {
      const cpu = process.cpuUsage(since.cpu);
      process.send?.({
        kind: 'usage',
        cpuMs: (cpu.user + cpu.system) / 1_000,
        rssBytes: process.memoryUsage().rss,
        wallMs: performance.now() - since.at,
      } satisfies ChildMessage);
    } else if (message.kind === 'stop') {
      await helix.close();
      await database.close();
      process.exit(0);
    }
  });
  process.send?.({ kind: 'ready', port: address.port } satisfies ChildMessage);
}

async function serveHello(): Promise<void> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
    logging: false,
  });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'stop') process.exit(0);
  });
  process.send?.({ kind: 'ready', port: (server.address() as { port: number }).port } satisfies ChildMessage);
}

// ————————————————————————————————————— the benchmark —————————————————————————————————————

interface Child {
  process: ChildProcess;
  port: number;
  request(kind: string): Promise<ChildMessage | undefined>;
  stop(): Promise<void>;
}

async function startChild(args: string[]): Promise<Child> {
  // Both servers run as deployed: NODE_ENV=production (graphql-js skips its development checks).
  const child = fork(self, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
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

/** A finished run with `rows` variant calls spread over 2 contigs, mixed types, qualities and AFs. */
async function seed(databaseUrl: string, rows: number): Promise<string> {
  const database = await openDatabase({ databaseUrl, dataDir: tmpdir(), logger: createLogger('warn') });
  try {
    const { pool } = database;
    const run = await pool.query<{ id: string }>(
      `INSERT INTO runs (id, source, config, reference_name, reference_length, status, stopped_at,
         reads_produced, reads_analysed, batches_analysed, variants_confirmed)
       VALUES (gen_random_uuid(), 'SIMULATED', '{"seed": 1}', '2 contigs', 10000000, 'COMPLETED', now(), 0, 0, 0, $1)
       RETURNING id`,
      [Math.floor(rows * 0.8)],
    );
    const runId = run.rows[0]?.id as string;
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency,
         quality, status, first_seen_at, last_seen_at, interpretation, interpretation_source)
       SELECT $1, 'chr' || (1 + s % 2), 1 + s * 25, 'A', (ARRAY['C', 'G', 'T', 'AT'])[1 + s % 4],
         (CASE WHEN s % 4 = 3 THEN 'INSERTION' ELSE 'SNV' END)::"VariantType", '0/1', 20 + s % 40, 10,
         (s % 97) / 97.0, (s * 7919 % 600) / 10.0,
         (CASE WHEN s % 5 = 0 THEN 'CANDIDATE' ELSE 'CONFIRMED' END)::"VariantStatus",
         now(), now(), jsonb_build_object('summary', 'synthetic call'), 'rules'
       FROM generate_series(1, $2) AS s`,
      [runId, rows],
    );
    await pool.query('VACUUM ANALYZE variants');
    return runId;
  } finally {
    await database.close();
  }
}

/** Loads one server with autocannon: 2 s of warm-up (not counted), then `SECONDS` measured. */
async function cannon(port: number, body: string, headers: Record<string, string> = {}) {
  const options = {
    url: `http://127.0.0.1:${port}/graphql`,
    connections: 50,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({
    ...options,
    duration: SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
const fmt = ({ rps, p99 }: { rps: number; p99: number }) =>
  `${Math.round(rps).toLocaleString('en')} req/s, p99 ${p99} ms`;

async function queryBenchmark(databaseUrl: string, runId: string): Promise<void> {
  const query = `{ variants(filter: { runId: "${runId}", minQuality: 20, types: [SNV, INSERTION] }, orderBy: POSITION, first: 50) {
    totalCount edges { node { id contig position ref alt type depth alleleFrequency quality status } } } }`;
  const body = JSON.stringify({ query });
  const auth = { authorization: `Bearer ${KEY}` };
  process.stdout.write(
    `\n(a) variants query over ${ROWS.toLocaleString('en')} rows, autocannon 50 connections, ${SECONDS} s each\n`,
  );

  const hello = await startChild(['--serve-hello']);
  const ceiling = await cannon(hello.port, JSON.stringify({ query: '{ hello }' }));
  await hello.stop();

  const cached = await startChild(['--serve-helix', databaseUrl, 'cache']);
  const check = await fetch(`http://127.0.0.1:${cached.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body,
  });
  const answer = (await check.json()) as {
    data?: { variants: { totalCount: number; edges: unknown[] } };
    errors?: unknown;
  };
  if (!answer.data) throw new Error(`the variants query failed: ${JSON.stringify(answer.errors)}`);
  const withCache = await cannon(cached.port, body, auth);
  await cached.stop();

  const uncached = await startChild(['--serve-helix', databaseUrl, 'no-cache']);
  const withoutCache = await cannon(uncached.port, body, auth);
  await uncached.stop();

  line(
    '  matching rows (totalCount), page size',
    `${answer.data.variants.totalCount.toLocaleString('en')}, ${answer.data.variants.edges.length}`,
  );
  line('  minimal yoga { hello } (the ceiling)', fmt(ceiling));
  line('  helix variants, finished run (response cache)', fmt(withCache));
  line('  helix variants, response cache off', fmt(withoutCache));
  line('  ratio cached / ceiling (req/s)', (withCache.rps / ceiling.rps).toFixed(3));
  line('  ratio uncached / ceiling (req/s)', (withoutCache.rps / ceiling.rps).toFixed(3));
}

async function subscriptionBenchmark(databaseUrl: string): Promise<void> {
  process.stdout.write(
    `\n(b) ${SUBSCRIBERS.toLocaleString('en')} graphql-ws subscribers to queueMetrics(intervalMs: 250), ${SUBSCRIPTION_SECONDS} s, during a run\n`,
  );
  const server = await startChild(['--serve-helix', databaseUrl, 'cache']);
  await server.request('start-run');
  const query = 'subscription { queueMetrics(intervalMs: 250) { at state queueDepth ingestionRate readsProduced } }';
  const window = { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  const lags: number[] = [];
  const published = new Set<string>();
  let delivered = 0;
  const clients = [];
  for (let index = 0; index < SUBSCRIBERS; index += 1) {
    const client = createClient({
      url: `ws://127.0.0.1:${server.port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${KEY}` },
    });
    clients.push(client);
    client.subscribe<{ queueMetrics: { at: string } }>(
      { query },
      {
        next: (result) => {
          const received = Date.now();
          const at = result.data?.queueMetrics.at as string;
          const sent = Date.parse(at);
          if (sent < window.start || sent >= window.end) return;
          published.add(at);
          delivered += 1;
          lags.push(received - sent);
        },
        error: (error) => process.stderr.write(`subscriber error: ${JSON.stringify(error)}\n`),
        complete: () => undefined,
      },
    );
    if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  window.start = Date.now();
  window.end = window.start + SUBSCRIPTION_SECONDS * 1_000;
  await server.request('mark');
  await new Promise((resolve) => setTimeout(resolve, SUBSCRIPTION_SECONDS * 1_000));
  const usage = (await server.request('usage')) as Extract<ChildMessage, { kind: 'usage' }>;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await Promise.all(clients.map((client) => client.dispose()));
  await server.stop();

  const expected = published.size * SUBSCRIBERS;
  line(
    '  snapshots published in the window (one 4 Hz stream)',
    `${published.size} (${(published.size / SUBSCRIPTION_SECONDS).toFixed(2)} Hz)`,
  );
  line(
    '  delivered / expected',
    `${delivered.toLocaleString('en')} / ${expected.toLocaleString('en')} = ${((100 * delivered) / Math.max(1, expected)).toFixed(2)} %`,
  );
  line(
    '  delivery lag p50 / p99 / max',
    `${percentile(lags, 50)} / ${percentile(lags, 99)} / ${lags.reduce((max, lag) => Math.max(max, lag), 0)} ms`,
  );
  line(
    '  server CPU (one process, run included), RSS',
    `${((100 * usage.cpuMs) / usage.wallMs).toFixed(1)} %, ${Math.round(usage.rssBytes / 2 ** 20)} MB`,
  );
  line('  target', '≥ 99.9 % delivered, p99 ≤ 100 ms');
}

if (process.argv[2] === '--serve-helix') {
  await serveHelix(process.argv[3] as string, process.argv[4] === 'cache');
} else if (process.argv[2] === '--serve-hello') {
  await serveHello();
} else {
  const database = await scratchDatabase();
  try {
    process.stdout.write(`API benchmark — ${new Date().toISOString()}\n`);
    const runId = await seed(database.url, ROWS);
    await queryBenchmark(database.url, runId);
    await subscriptionBenchmark(database.url);
  } finally {
    await database.drop();
  }
}
