/**
 * The subscriber load of the API benchmarks: graphql-ws clients (one socket each, as dashboards
 * connect) subscribed to `queueMetrics(intervalMs: 250)`, timing each event from the snapshot's
 * `at` to its arrival here.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** What one measurement window saw. */
export interface SubscriberFigures {
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
}

/** Where the subscribers connect, and for how long they are measured. */
export interface SubscriberLoadOptions {
  /** One port per replica; subscribers are dealt to them in turn. */
  ports: number[];
  subscribers: number;
  seconds: number;
  key: string;
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
  const clients = [];
  for (let index = 0; index < options.subscribers; index += 1) {
    const port = options.ports[index % options.ports.length] as number;
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `Bearer ${options.key}` },
    });
    clients.push(client);
    client.subscribe<{ queueMetrics: { at: string } }>(
      { query: QUERY },
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
  await options.windowOpens?.();
  window.start = Date.now();
  window.end = window.start + options.seconds * 1_000;
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1_000));
  await options.windowCloses?.();
  // Events of the window's last moment are still on their way.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await Promise.all(clients.map((client) => client.dispose()));
  return {
    subscribers: options.subscribers,
    seconds: options.seconds,
    published: published.size,
    delivered,
    expected: published.size * options.subscribers,
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    max: lags.reduce((max, lag) => Math.max(max, lag), 0),
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
  ];
}
