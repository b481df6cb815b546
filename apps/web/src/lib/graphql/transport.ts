import { createClient, type ExecutionResult, type RequestParams } from 'graphql-sse';
import type { ConnectionStore } from '../connection';

/** What the transport tells the page besides results. */
export interface TransportEvents {
  /** The dashboard server said the session is gone (wrong, expired or revoked key). */
  unauthenticated(): void;
}

/** Waits between attempts to reach the dashboard server again: 1 s doubling to 10 s, with jitter. */
export function streamRetryDelayMs(retries: number, random = Math.random): number {
  return Math.round(Math.min(10_000, 1_000 * 2 ** retries) * (0.8 + 0.4 * random()));
}

/**
 * urql merges each subscription result into the previous one and keeps the previous errors when
 * a result has none; so once the API was briefly unreachable, every later result would still
 * carry that error. An explicit empty `errors` on the first good result after an error clears it.
 */
export function clearingErrors(next: (value: ExecutionResult) => void): (value: ExecutionResult) => void {
  let erred = false;
  return (value) => {
    if (value.errors?.length) erred = true;
    else if (erred) {
      erred = false;
      return next({ ...value, errors: [] });
    }
    next(value);
  };
}

/**
 * The browser's subscription transport: one graphql-sse event stream per tab to the dashboard's
 * `/api/graphql/stream` (which holds the key and forwards to the API), reconnecting forever with
 * backoff and reporting its state to the connection store.
 */
export function createSubscriptionTransport(url: string, store: ConnectionStore, events: TransportEvents) {
  const fetchFn: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401) events.unauthenticated();
    return response;
  };
  const client = createClient({
    url,
    singleConnection: true,
    lazy: true,
    // Keeps the stream across client-side navigation between pages.
    lazyCloseTimeout: 3_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    credentials: 'same-origin',
    fetchFn,
    retry: (retries) =>
      new Promise<void>((resolve) => {
        const delay = streamRetryDelayMs(retries);
        const timer = setTimeout(resolve, delay);
        store.streamRetrying(Date.now() + delay, () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    on: {
      connecting: (reconnecting) => store.streamConnecting(reconnecting),
      connected: () => store.streamOpen(),
    },
  });
  return {
    subscribe(
      request: RequestParams,
      sink: { next(value: ExecutionResult): void; error(error: unknown): void; complete(): void },
    ) {
      return client.subscribe(request, { ...sink, next: clearingErrors(sink.next.bind(sink)) });
    },
    dispose: () => client.dispose(),
  };
}
