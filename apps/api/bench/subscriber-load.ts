/**
 * The subscriber load of the API benchmarks: graphql-ws subscribers (one socket each, as
 * dashboards connect) to `queueMetrics(intervalMs: 250)`, timing each event from the snapshot's
 * `at` to its arrival here. The clients are graphql-ws's own `createClient`, or with
 * `client: 'lean'` bare protocol clients (bench/lean-subscriber.ts) that cost this process less
 * per message; the load generator shares the server's cores, so what it spends shows in the lag.
 */
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { leanSubscribe } from './lean-subscriber.js';

/** Which client the subscribers are. */
export type SubscriberClient = 'lean' | 'graphql-ws';

/** What one measurement window saw. */
export interface SubscriberFigures {
  client: SubscriberClient;
  subscribers: number;
  seconds: number;
  /** Distinct snapshots seen in the window. */
  published: number;
  delivered: number;
  /** `published` × subscribers: what every subscriber receiving every snapshot comes to. */
  expected: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU of this process (the load generator) over the window, in % of one core. */
  clientCpuPercent: number;
}

/** Where the subscribers connect, and for how long they are measured. */
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

const QUERY = 'subscription { queueMetrics(intervalMs: 250) { at state queueDepth ingestionRate readsProduced } }';

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Connects `subscribers` clients (100 at a time), waits 2 s, then counts and times what arrives
 * during `seconds`; every subscriber is disposed of before it returns.
 */
export async function measureSubscribers(options: SubscriberLoadOptions): Promise<SubscriberFigures> {
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
  for (let index = 0; index < options.subscribers; index += 1) {
    const url = `ws://127.0.0.1:${options.ports[index % options.ports.length]}/graphql`;
    const authorization = `Bearer ${options.key}`;
    if (options.client === 'lean') {
      clients.push(leanSubscribe(url, authorization, QUERY, next, error));
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
    }
    if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await options.windowOpens?.();
  window.start = Date.now();
  window.end = window.start + options.seconds * 1_000;
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1_000));
  const used = process.cpuUsage(cpu);
  await options.windowCloses?.();
  // Events of the window's last moment are still on their way.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await Promise.all(clients.map((client) => client.dispose()));
  return {
    client: options.client,
    subscribers: options.subscribers,
    seconds: options.seconds,
    published: published.size,
    delivered,
    expected: published.size * options.subscribers,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.reduce((max, lag) => Math.max(max, lag), 0),
    clientCpuPercent: (used.user + used.system) / (10 * options.seconds * 1_000),
  };
}

/** The figures as the benchmarks print them, one line a value. */
export function subscriberLines(figures: SubscriberFigures): [string, string][] {
  const percent = (100 * figures.delivered) / Math.max(1, figures.expected);
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
    ['load generator CPU (graphql-ws clients, this process)', `${figures.clientCpuPercent.toFixed(1)} %`],
  ];
}
