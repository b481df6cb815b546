import type { ExecutionResult } from 'graphql';
import type { TextFrameBatch } from './frame-batch.js';
import { nextMessageTail } from './next-message.js';

/**
 * One result as every subscriber of a shared execution receives it: executed once, serialised
 * once, and encoded once as the end of a graphql-ws `next` message (the same bytes for every
 * socket; only the message's head, which names the subscription, differs).
 */
export class SharedResult {
  #tail: Buffer | undefined;

  constructor(
    readonly result: ExecutionResult,
    readonly json: string,
  ) {}

  /** The payload's JSON and the message's closing `}`, as UTF-8 (encoded on first use). */
  get messageTail(): Buffer {
    this.#tail ??= Buffer.from(nextMessageTail(this.json));
    return this.#tail;
  }
}

/** A subscriber of a shared execution. */
export interface Subscriber {
  /**
   * One result, shared with every subscriber of the execution. A socket subscriber may queue its
   * frame in `frames` (the fan-out's, for `shared`) to be sent with its neighbours' in one call.
   */
  deliver(shared: SharedResult, frames?: TextFrameBatch): void;
  /** The execution ended: end this subscriber's stream. */
  end(): void;
}

/** A subscriber with the stream its client reads. */
export interface StreamingSubscriber extends Subscriber {
  readonly iterator: AsyncGenerator<ExecutionResult>;
}

/**
 * A stream that ends on demand: `next()` waits for `pull`, `return()` unsubscribes. Shaped like an
 * async generator, which is what graphql-ws and yoga expect of a subscription.
 */
export function endableIterator(
  pull: () => Promise<IteratorResult<ExecutionResult>>,
  unsubscribe: () => void,
): AsyncGenerator<ExecutionResult> {
  const iterator: AsyncGenerator<ExecutionResult> = {
    next: pull,
    return: async () => {
      unsubscribe();
      return { done: true, value: undefined };
    },
    throw: async (error) => {
      unsubscribe();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
