import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type TestServer, testKeys } from '../support/server.js';

/** A GraphQL result as a subscription delivers it. */
export interface Delivered<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Events received so far, and a way to wait for one that matches. */
export class EventLog<T> {
  readonly events: T[] = [];
  #waiters: { test: (event: T) => boolean; resolve: (event: T) => void }[] = [];
  #ended: Error | undefined;

  push(event: T): void {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.test(event)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  }

  end(error: Error): void {
    this.#ended = error;
  }

  /** The first event from index `from` on that passes `test`, waiting up to `timeoutMs`. */
  waitFor(test: (event: T) => boolean, timeoutMs = 15_000, from = 0): Promise<T> {
    const seen = this.events.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter.resolve !== done);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms${this.#ended ? ` (stream ended: ${this.#ended.message})` : ''}; last events: ${JSON.stringify(this.events.slice(-3))}`,
          ),
        );
      }, timeoutMs);
      const done = (event: T) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.#waiters.push({ test, resolve: done });
    });
  }

  /** Waits until `count` events have arrived. */
  async waitForCount(count: number, timeoutMs = 15_000): Promise<T[]> {
    if (this.events.length < count) {
      await this.waitFor(() => this.events.length >= count, timeoutMs, this.events.length);
    }
    return this.events.slice(0, count);
  }
}

/** A graphql-ws client authenticated with `key` in `connection_init`. */
export function wsClient(api: TestServer, key: string = testKeys.viewer): Client {
  return createClient({
    url: api.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${key}` },
  });
}

/** Subscribes over graphql-ws and logs every result. */
export function subscribeWs<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): { log: EventLog<Delivered<T>>; stop: () => void } {
  const log = new EventLog<Delivered<T>>();
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => log.push(result as Delivered<T>),
      error: (error) => log.end(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => log.end(new Error('completed')),
    },
  );
  return { log, stop };
}

/** Subscribes over SSE (GraphQL over HTTP, `Accept: text/event-stream`) and logs every result. */
export function subscribeSse<T>(
  url: string,
  query: string,
  options: { key?: string; variables?: Record<string, unknown> } = {},
): { log: EventLog<Delivered<T>>; stop: () => void; response: Promise<Response> } {
  const log = new EventLog<Delivered<T>>();
  const abort = new AbortController();
  const response = fetch(url, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${options.key ?? testKeys.viewer}`,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  void response
    .then(async (res) => {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const message = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (event === 'next' && data) log.push(JSON.parse(data) as Delivered<T>);
          boundary = buffer.indexOf('\n\n');
        }
      }
      log.end(new Error('stream ended'));
    })
    .catch((error: Error) => log.end(error));
  return { log, stop: () => abort.abort(), response };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
