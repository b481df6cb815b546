import { type ExecutionResult, GraphQLError } from 'graphql';
import { endableIterator, type SharedResult, type StreamingSubscriber } from './subscriber.js';

/** How far a pulling subscriber may fall behind. */
export interface BufferLimits {
  /** Droppable results held (the metrics stream): past it the oldest goes. */
  capacity: number;
  /** Bytes of other results held (alarms, which are never skipped): past it the stream ends. */
  hardLimitBytes: number;
  /** Told whenever a result is dropped, or the stream ended, for a subscriber not keeping up. */
  onDrop?: ((reason: 'behind' | 'closed-slow') => void) | undefined;
}

/** Code of the error that ends the stream of a subscriber that fell too far behind. */
export const SLOW_CONSUMER = 'SLOW_CONSUMER';

/**
 * A subscriber that pulls (SSE): results wait in a buffer until its response asks for the next.
 * Droppable results (snapshots that supersede each other) keep only the newest few; the others
 * (mutation alarms) are never skipped: past the byte limit the stream ends with a
 * {@link SLOW_CONSUMER} error, as a graphql-ws socket is closed with 1013, so the client
 * reconnects and reads what it missed rather than silently losing alarms.
 */
export class BufferedSubscriber implements StreamingSubscriber {
  readonly iterator: AsyncGenerator<ExecutionResult>;
  readonly #buffer: { result: ExecutionResult; bytes: number }[] = [];
  readonly #limits: BufferLimits;
  readonly #droppable: boolean;
  readonly #unsubscribe: () => void;
  #bufferedBytes = 0;
  #ended = false;
  #unsubscribed = false;
  #wake: ((result: IteratorResult<ExecutionResult>) => void) | undefined;

  constructor(limits: BufferLimits, droppable: boolean, unsubscribe: () => void) {
    this.#limits = limits;
    this.#droppable = droppable;
    this.#unsubscribe = unsubscribe;
    this.iterator = endableIterator(
      () => {
        const held = this.#buffer.shift();
        if (held) {
          this.#bufferedBytes -= held.bytes;
          return Promise.resolve({ done: false, value: held.result });
        }
        if (this.#ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => {
          this.#wake = resolve;
        });
      },
      () => {
        this.end();
        this.#leave();
      },
    );
  }

  deliver({ result, json }: SharedResult): void {
    if (this.#ended) return;
    if (this.#wake) {
      const wake = this.#wake;
      this.#wake = undefined;
      wake({ done: false, value: result });
      return;
    }
    this.#buffer.push({ result, bytes: json.length });
    this.#bufferedBytes += json.length;
    if (this.#droppable) {
      if (this.#buffer.length > this.#limits.capacity) {
        this.#bufferedBytes -= this.#buffer.shift()?.bytes ?? 0;
        this.#limits.onDrop?.('behind');
      }
    } else if (this.#bufferedBytes > this.#limits.hardLimitBytes) {
      this.#fallBehind();
    }
  }

  end(): void {
    this.#ended = true;
    if (this.#wake && this.#buffer.length === 0) {
      this.#wake({ done: true, value: undefined });
      this.#wake = undefined;
    }
  }

  /** Lets the held results go and ends the stream with one error saying why. */
  #fallBehind(): void {
    const bytes = this.#bufferedBytes;
    this.#buffer.length = 0;
    this.#bufferedBytes = 0;
    const error = new GraphQLError(
      `the subscriber fell behind by more than ${this.#limits.hardLimitBytes} bytes of results (${bytes} waiting); subscribe again and query what was missed`,
      { extensions: { code: SLOW_CONSUMER } },
    );
    this.#buffer.push({ result: { errors: [error] }, bytes: 0 });
    this.#limits.onDrop?.('closed-slow');
    this.end();
    // Its response may never ask for more (a stalled client): stop delivering to it now.
    this.#leave();
  }

  #leave(): void {
    if (this.#unsubscribed) return;
    this.#unsubscribed = true;
    this.#unsubscribe();
  }
}
