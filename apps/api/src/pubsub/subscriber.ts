import type { ExecutionResult } from 'graphql';

/** A subscriber of a shared execution. */
export interface Subscriber {
  /** One result, with its JSON serialised once for every subscriber that shares it. */
  deliver(result: ExecutionResult, json: string): void;
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
