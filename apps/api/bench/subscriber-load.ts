/**
 * The subscriber load of the API benchmarks: graphql-ws subscribers (one socket each, as
 * dashboards connect) to `queueMetrics(intervalMs: 250)`, timing each event from the snapshot's
 * `at` to its arrival. The clients are bare protocol clients (`client: 'lean'`,
 * bench/lean-subscriber.ts: every frame read and parsed) or graphql-ws's own `createClient`, which
 * costs a few times more per message; the load generator shares the server's cores, so what it
 * spends shows in the lag (with createClient, 10,000 clients' own backlog is most of it). Past {@link SOCKETS_PER_PROCESS}
 * subscribers the load is spread over child processes (one process may hold only so many sockets).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { leanSubscribe } from './lean-subscriber.js';

/** Which client the subscribers are. */
export type SubscriberClient = 'lean' | 'graphql-ws';

/** Most subscribers one load process holds (the machine allows 20,000 open files a process). */
export const SOCKETS_PER_PROCESS = Number(process.env.BENCH_SOCKETS_PER_PROCESS ?? 10_000);

/** What one measurement window saw. */
export interface SubscriberFigures {
  client: SubscriberClient;
  subscribers: number;
  seconds: number;
  /** Load processes the subscribers were spread over. */
  processes: number;
  /** Distinct snapshots seen in the window. */
  published: number;
  delivered: number;
  /** Snapshots seen × subscribers: what every subscriber receiving every snapshot comes to. */
  expected: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU of the load processes over the window, in % of one core. */
  clientCpuPercent: number;
}

/** What one load process saw in its window, before figures are drawn from it. */
interface WindowSeen {
  subscribers: number;
  published: string[];
  delivered: number;
  lags: number[];
  cpuMs: number;
}

/** Where the subscribers connect, and how they are measured. */
export interface SubscriberLoadOptions {
  /** One port per replica; subscribers are dealt to them in turn. */
  ports: number[];
  subscribers: number;
  seconds: number;
  key: string;
  client: SubscriberClient;
  /** Called once every subscriber is connected, just before the window opens (e.g. to mark CPU). */
  windowOpens?(): Promise<void>;
  /** Called as the window closes, before the subscribers leave (e.g. to read the server's CPU). */
  windowCloses?(): Promise<void>;
}

/** Lean clients connect as fast as the server acknowledges them, this many at a time. */
const HANDSHAKES_AT_ONCE = 100;
const QUERY = 'subscription { queueMetrics(intervalMs: 250) { at state queueDepth ingestionRate readsProduced } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Subscribers connected in this process, ready to be measured. */
interface SubscriberGroup {
  /** Counts and times what arrives during `seconds`, then disposes of every subscriber. */
  measure(seconds: number, closing?: () => Promise<void>): Promise<WindowSeen>;
}

/**
 * Connects `subscribers` clients dealt to `ports` (lean ones as fast as the servers acknowledge
 * them, graphql-ws ones 100 every 50 ms), and waits 2 s for them to settle.
 */
async function connectGroup(
  options: Pick<SubscriberLoadOptions, 'ports' | 'subscribers' | 'key' | 'client'>,
  offset = 0,
): Promise<SubscriberGroup> {
  const window = { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  const lags: number[] = [];
  const published = new Set<string>();
  let delivered = 0;
  const next = (result: ExecutionResult) => {
    const received = Date.now();
    const at = (result.data as { queueMetrics: { at: string } } | undefined)?.queueMetrics.at as string;
    const sent = Date.parse(at);
    if (sent < window.start || sent >= window.end) return;
    published.add(at);
    delivered += 1;
    lags.push(received - sent);
  };
  const error = (reason: unknown) => process.stderr.write(`subscriber error: ${JSON.stringify(reason)}\n`);
  const clients: { dispose(): Promise<void> | void }[] = [];
  const authorization = `Bearer ${options.key}`;
  /** Lean clients whose handshake is under way: at most {@link HANDSHAKES_AT_ONCE}. */
  const handshaking = new Set<Promise<void>>();
  for (let index = 0; index < options.subscribers; index += 1) {
    const url = `ws://127.0.0.1:${options.ports[(offset + index) % options.ports.length]}/graphql`;
    if (options.client === 'lean') {
      const client = leanSubscribe(url, authorization, QUERY, next, error);
      clients.push(client);
      const ready = client.ready.then(() => {
        handshaking.delete(ready);
      });
      handshaking.add(ready);
      if (handshaking.size >= HANDSHAKES_AT_ONCE) await Promise.race(handshaking);
    } else {
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: { authorization },
      });
      clients.push(client);
      client.subscribe({ query: QUERY }, { next, error, complete: () => undefined });
      if (index % 100 === 99) await sleep(50);
    }
  }
  await Promise.all(handshaking);
  await sleep(2_000);
  return {
    async measure(seconds, closing) {
      window.start = Date.now();
      window.end = window.start + seconds * 1_000;
      const cpu = process.cpuUsage();
      await sleep(seconds * 1_000);
      const used = process.cpuUsage(cpu);
      await closing?.();
      // Events of the window's last moment are still on their way.
      await sleep(1_000);
      await Promise.all(clients.map((client) => client.dispose()));
      return {
        subscribers: options.subscribers,
        published: [...published],
        delivered,
        lags,
        cpuMs: (used.user + used.system) / 1_000,
      };
    },
  };
}

/** Figures from what each load process saw in the same window. */
function summarise(seen: WindowSeen[], options: SubscriberLoadOptions): SubscriberFigures {
  const lags = seen.flatMap((part) => part.lags);
  return {
    client: options.client,
    subscribers: options.subscribers,
    seconds: options.seconds,
    processes: seen.length,
    published: new Set(seen.flatMap((part) => part.published)).size,
    delivered: seen.reduce((sum, part) => sum + part.delivered, 0),
    expected: seen.reduce((sum, part) => sum + part.published.length * part.subscribers, 0),
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.reduce((max, lag) => Math.max(max, lag), 0),
    clientCpuPercent: (100 * seen.reduce((sum, part) => sum + part.cpuMs, 0)) / (options.seconds * 1_000),
  };
}

/** Messages between the measuring process and a load process. */
type LoadMessage = { kind: 'connected' } | { kind: 'open'; seconds: number } | { kind: 'seen'; seen: WindowSeen };

/**
 * Connects the subscribers (in this process, or spread over load processes past
 * {@link SOCKETS_PER_PROCESS}), then counts and times what arrives during `seconds`, all
 * processes in the same window; every subscriber is disposed of before it returns.
 */
export async function measureSubscribers(options: SubscriberLoadOptions): Promise<SubscriberFigures> {
  if (options.subscribers <= SOCKETS_PER_PROCESS) {
    const group = await connectGroup(options);
    await options.windowOpens?.();
    return summarise([await group.measure(options.seconds, options.windowCloses)], options);
  }
  const processes = Math.ceil(options.subscribers / SOCKETS_PER_PROCESS);
  const children = Array.from({ length: processes }, (_, index) => {
    const share = Math.min(SOCKETS_PER_PROCESS, options.subscribers - index * SOCKETS_PER_PROCESS);
    const settings = { ...options, subscribers: share, offset: index * SOCKETS_PER_PROCESS };
    return fork(fileURLToPath(import.meta.url), ['--load', JSON.stringify(settings)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  });
  await Promise.all(children.map((child) => once(child, 'message')));
  await options.windowOpens?.();
  const seen = children.map(async (child) => {
    child.send({ kind: 'open', seconds: options.seconds } satisfies LoadMessage);
    const [message] = (await once(child, 'message')) as [LoadMessage];
    return (message as Extract<LoadMessage, { kind: 'seen' }>).seen;
  });
  // The servers are read as the window closes, while the load processes wait out the stragglers.
  await sleep(options.seconds * 1_000);
  await options.windowCloses?.();
  const figures = summarise(await Promise.all(seen), options);
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  return figures;
}

/** The figures as the benchmarks print them, one line a value. */
export function subscriberLines(figures: SubscriberFigures): [string, string][] {
  const percent = (100 * figures.delivered) / Math.max(1, figures.expected);
  const processes = figures.processes > 1 ? `, ${figures.processes} processes` : '';
  return [
    [
      'snapshots published in the window (one 4 Hz stream)',
      `${figures.published} (${(figures.published / figures.seconds).toFixed(2)} Hz)`,
    ],
    [
      'delivered / expected',
      `${figures.delivered.toLocaleString('en')} / ${figures.expected.toLocaleString('en')} = ${percent.toFixed(2)} %`,
    ],
    ['delivery lag p50 / p99 / max', `${figures.p50} / ${figures.p99} / ${figures.max} ms`],
    [`load generator CPU (${figures.client} clients${processes})`, `${figures.clientCpuPercent.toFixed(1)} %`],
  ];
}

// A load process: connects its share, says so, measures when told, reports and leaves.
if (process.argv[2] === '--load') {
  const settings = JSON.parse(process.argv[3] as string) as SubscriberLoadOptions & { offset: number };
  const group = await connectGroup(settings, settings.offset);
  process.send?.({ kind: 'connected' } satisfies LoadMessage);
  const [open] = (await once(process, 'message')) as [Extract<LoadMessage, { kind: 'open' }>];
  const seen = await group.measure(open.seconds);
  process.send?.({ kind: 'seen', seen } satisfies LoadMessage, () => process.exit(0));
}
