import type { ExecutionResult } from 'graphql';
import { endableIterator, type SharedResult, type StreamingSubscriber } from './subscriber.js';

/** A subscriber that pulls (SSE): a bounded buffer that drops its oldest result when full. */
export class BufferedSubscriber implements StreamingSubscriber {
  readonly iterator: AsyncGenerator<ExecutionResult>;
  readonly #buffer: ExecutionResult[] = [];
  readonly #capacity: number;
  readonly #onDrop: ((reason: 'behind') => void) | undefined;
  #ended = false;
  #wake: ((result: IteratorResult<ExecutionResult>) => void) | undefined;

  constructor(capacity: number, onDrop: ((reason: 'behind') => void) | undefined, unsubscribe: () => void) {
    this.#capacity = capacity;
    this.#onDrop = onDrop;
    this.iterator = endableIterator(
      () => {
        const result = this.#buffer.shift();
        if (result) return Promise.resolve({ done: false, value: result });
        if (this.#ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => {
          this.#wake = resolve;
        });
      },
      () => {
        this.end();
        unsubscribe();
      },
    );
  }

  deliver({ result }: SharedResult): void {
    if (this.#ended) return;
    if (this.#wake) {
      const wake = this.#wake;
      this.#wake = undefined;
      wake({ done: false, value: result });
      return;
    }
    this.#buffer.push(result);
    if (this.#buffer.length > this.#capacity) {
      this.#buffer.shift();
      this.#onDrop?.('behind');
    }
  }

  end(): void {
    this.#ended = true;
    if (this.#wake && this.#buffer.length === 0) {
      this.#wake({ done: true, value: undefined });
      this.#wake = undefined;
    }
  }
}
