import type { ServerResponse } from 'node:http';

/** How a drain ended: every request finished, or the timeout cut the rest. */
export type DrainOutcome = 'settled' | 'timed-out';

/**
 * True for a response streaming subscription events (GraphQL over SSE): it asked for an event
 * stream and is still open after its headers went out. (The content type was given to `writeHead`,
 * which `getHeader` does not see.)
 */
function isEventStream(response: ServerResponse): boolean {
  return response.headersSent && String(response.req?.headers.accept ?? '').includes('text/event-stream');
}

/**
 * The HTTP side of a graceful shutdown: counts the requests in flight, and once draining makes
 * each connection's response its last, so clients open their next connection elsewhere.
 * Subscriptions streamed over HTTP (SSE) are cut rather than completed: a `complete` event would
 * tell the client the operation is over, while a dropped stream is what SSE clients (EventSource,
 * graphql-sse, the dashboard) retry — the same message graphql-ws clients get from 1001 Going Away.
 */
export class HttpDrain {
  #draining = false;
  readonly #open = new Set<ServerResponse>();
  readonly #idle = new Set<() => void>();

  /** True from the moment the drain begins; /ready answers 503 from then on. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Counts `response` in flight until it closes; while draining it is the connection's last. */
  track(response: ServerResponse): void {
    this.#open.add(response);
    if (this.#draining) response.shouldKeepAlive = false;
    response.once('close', () => {
      this.#open.delete(response);
      if (this.#open.size === 0) for (const resolve of this.#idle) resolve();
    });
  }

  /** Starts draining, cuts the SSE streams and waits for requests in flight, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<DrainOutcome> {
    this.#draining = true;
    for (const response of this.#open) {
      if (isEventStream(response)) response.destroy();
      else response.shouldKeepAlive = false;
    }
    if (this.#open.size === 0) return 'settled';
    let timer: NodeJS.Timeout | undefined;
    let settle: (() => void) | undefined;
    const settled = new Promise<DrainOutcome>((resolve) => {
      settle = () => resolve('settled');
      this.#idle.add(settle);
    });
    const timedOut = new Promise<DrainOutcome>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), timeoutMs);
    });
    try {
      return await Promise.race([settled, timedOut]);
    } finally {
      clearTimeout(timer);
      if (settle) this.#idle.delete(settle);
    }
  }
}
