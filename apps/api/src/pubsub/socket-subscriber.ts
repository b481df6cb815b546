import type { ExecutionResult } from 'graphql';
import WebSocket from 'ws';
import { HelixCloseCode } from './close-codes.js';
import type { TextFrameBatch } from './frame-batch.js';
import { nextMessageHead } from './next-message.js';
import { endableIterator, type SharedResult, type StreamingSubscriber } from './subscriber.js';
import { sendTextFrame } from './text-frame.js';

/** Where a graphql-ws subscription's results go: the socket and the client's subscription id. */
export interface SocketDelivery {
  socket: WebSocket;
  id: string;
}

/** How much a socket may fall behind before its events are skipped, then before it is closed. */
export interface SocketLimits {
  /** Above this many unsent bytes, droppable events are skipped for the socket. */
  socketSoftLimitBytes: number;
  /** Above this many unsent bytes the socket is closed as a slow consumer. */
  socketHardLimitBytes: number;
  /** Told whenever an event is dropped for a socket that is not keeping up. */
  onDrop?: ((reason: 'behind' | 'closed-slow') => void) | undefined;
}

/**
 * A graphql-ws subscriber: `next` messages are written straight to its socket, this
 * subscription's head (its id) before the shared payload's bytes; its iterator yields nothing
 * and ends when the execution ends (graphql-ws then sends `complete`).
 */
export class SocketSubscriber implements StreamingSubscriber {
  readonly iterator: AsyncGenerator<ExecutionResult>;
  readonly #socket: WebSocket;
  /** The start of this subscription's next messages, as UTF-8. */
  readonly #head: Buffer;
  readonly #limits: SocketLimits;
  readonly #droppable: boolean;
  #ended = false;
  #wake: ((result: IteratorResult<ExecutionResult>) => void) | undefined;

  constructor(delivery: SocketDelivery, limits: SocketLimits, droppable: boolean, unsubscribe: () => void) {
    this.#socket = delivery.socket;
    this.#head = Buffer.from(nextMessageHead(delivery.id));
    this.#limits = limits;
    this.#droppable = droppable;
    this.iterator = endableIterator(
      () =>
        this.#ended
          ? Promise.resolve({ done: true, value: undefined })
          : new Promise((resolve) => {
              this.#wake = resolve;
            }),
      () => {
        this.end();
        unsubscribe();
      },
    );
  }

  deliver(shared: SharedResult, frames?: TextFrameBatch): void {
    // Ended (the client completed, or the execution ended and graphql-ws sends `complete`): a
    // fan-out that was under way when it ended must not write a `next` after that.
    if (this.#ended) return;
    const socket = this.#socket;
    if (socket.readyState !== WebSocket.OPEN) return;
    const unsent = socket.bufferedAmount;
    if (unsent > this.#limits.socketHardLimitBytes) {
      this.#limits.onDrop?.('closed-slow');
      // Frames queued for this socket by another of its subscriptions go before the close frame.
      frames?.flush();
      socket.close(HelixCloseCode.SlowConsumer, 'Subscriber is not reading; reconnect when ready');
      // A client that does not read cannot read the close frame either: let go of it soon.
      setTimeout(() => socket.terminate(), 1_000).unref();
      return;
    }
    if (this.#droppable && unsent > this.#limits.socketSoftLimitBytes) {
      this.#limits.onDrop?.('behind');
      return;
    }
    if (frames?.add(socket, this.#head)) return;
    frames?.flush();
    sendTextFrame(socket, this.#head, shared.messageTail);
  }

  end(): void {
    this.#ended = true;
    this.#wake?.({ done: true, value: undefined });
    this.#wake = undefined;
  }
}
