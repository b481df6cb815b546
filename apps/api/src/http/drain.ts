import type { ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** How a drain ended: every request finished, or the timeout cut the rest. */
export type DrainOutcome = 'settled' | 'timed-out';

/**
 * The HTTP side of a graceful shutdown: counts the requests in flight, and once draining asks
 * every client to open its next connection elsewhere and ends the subscriptions streamed over
 * HTTP (SSE) with a clean `complete`, so that in-flight requests can finish. graphql-ws sockets
 * are not ended here: they are closed with 1001 Going Away, which tells clients to reconnect.
 */
export class HttpDrain {
  #draining = false;
  #inFlight = 0;
  readonly #idle = new Set<() => void>();
  readonly #endStreams = new AbortController();

  /** True from the moment the drain begins; /ready answers 503 from then on. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Counts `response` in flight until it closes; while draining it is the connection's last. */
  track(response: ServerResponse): void {
    this.#inFlight += 1;
    if (this.#draining) response.shouldKeepAlive = false;
    response.once('close', () => {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const resolve of this.#idle) resolve();
    });
  }

  /** An envelop/yoga plugin that ends every HTTP subscription stream when the drain begins. */
  plugin(): Plugin {
    const signal = this.#endStreams.signal;
    return {
      onSubscribe: ({ args }) => ({
        onSubscribeResult: ({ result, setResult }) => {
          // Only graphql-ws subscriptions carry a socket delivery; those end when their socket closes.
          if ('delivery' in args.contextValue || !(Symbol.asyncIterator in result)) return;
          setResult(untilAborted(result, signal));
        },
      }),
    };
  }

  /** Starts draining, ends the HTTP subscription streams and waits for requests in flight, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<DrainOutcome> {
    this.#draining = true;
    this.#endStreams.abort();
    if (this.#inFlight === 0) return 'settled';
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

/**
 * `source`'s results until `signal` aborts, then its end (and the stream's). An iterator object
 * rather than an async generator: a generator waiting for its next value cannot be returned, so a
 * client going away would leave `source` open.
 */
function untilAborted(
  source: AsyncIterable<ExecutionResult>,
  signal: AbortSignal,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const end: IteratorReturnResult<undefined> = { done: true, value: undefined };
  let finished = false;
  let abort: () => void = () => undefined;
  const aborted = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    abort = () => resolve(end);
  });
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (finished) return end;
    finished = true;
    signal.removeEventListener('abort', abort);
    await iterator.return?.();
    return end;
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return end;
      const next = await Promise.race([iterator.next(), aborted]);
      return next.done ? finish() : next;
    },
    return: finish,
  };
}
