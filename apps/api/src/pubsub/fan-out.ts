import { TextFrameBatch } from './frame-batch.js';
import type { SharedResult, Subscriber } from './subscriber.js';

/** How one result is handed to every subscriber of a shared execution. */
export interface FanOutOptions {
  /**
   * Longest the event loop is held by one slice of a fan-out, in ms (default 5): past it the rest
   * of the subscribers are served on a later turn, so HTTP requests, pings and the pipeline's own
   * timers are not kept waiting behind ten thousand socket writes.
   */
  sliceMs?: number;
}

/** How many subscribers are served between two looks at the clock (and sends of their frames). */
const CLOCK_EVERY = 32;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Delivers `shared` to each of `subscribers` in order, in slices of at most `sliceMs` of the
 * event loop, and resolves once the last has it. The caller waits for one fan-out to end before it
 * starts the next, so every subscriber receives results in the order they were produced; a
 * subscriber that leaves during a fan-out is still in `subscribers` and must ignore the delivery
 * itself (every {@link Subscriber} does once ended). Socket subscribers' frames are sent
 * {@link CLOCK_EVERY} at a time, in one native call ({@link TextFrameBatch}), before each look at
 * the clock, so the time the writes take counts in the slice and none waits past it.
 */
export async function fanOut(
  shared: SharedResult,
  subscribers: readonly Subscriber[],
  options: FanOutOptions = {},
): Promise<void> {
  const sliceMs = options.sliceMs ?? 5;
  const frames = new TextFrameBatch(shared);
  let sliceEnds = performance.now() + sliceMs;
  try {
    for (let index = 0; index < subscribers.length; index += 1) {
      (subscribers[index] as Subscriber).deliver(shared, frames);
      if (index % CLOCK_EVERY !== CLOCK_EVERY - 1 || index + 1 === subscribers.length) continue;
      frames.flush();
      if (performance.now() > sliceEnds) {
        await nextTurn();
        sliceEnds = performance.now() + sliceMs;
      }
    }
  } finally {
    frames.flush();
  }
}

/** One result waiting for its fan-out, with who was subscribed when it was produced. */
interface PendingFanOut {
  shared: SharedResult;
  subscribers: readonly Subscriber[];
}

/**
 * The results of one shared execution on their way to its subscribers: one fan-out at a time, in
 * the order the results were produced. When results come faster than they can be fanned out (more
 * sockets than one process writes in an interval), a result whose field supersedes the previous
 * one (`supersede`: the metrics stream) replaces the one still waiting instead of queueing behind
 * it, so the backlog is at most one result; other results (detected mutations) all wait their turn.
 */
export class FanOutQueue {
  readonly #pending: PendingFanOut[] = [];
  readonly #supersede: boolean;
  readonly #options: FanOutOptions;
  #draining: Promise<void> | undefined;
  #failure: unknown;

  constructor(supersede: boolean, options: FanOutOptions = {}) {
    this.#supersede = supersede;
    this.#options = options;
  }

  /** Results waiting for a fan-out (not counting the one under way). */
  get waiting(): number {
    return this.#pending.length;
  }

  /** Queues `shared` for `subscribers` (taken as they are now, so someone joining later is not in it). */
  push(shared: SharedResult, subscribers: readonly Subscriber[]): void {
    if (this.#supersede) this.#pending.length = 0;
    this.#pending.push({ shared, subscribers });
    this.#draining ??= this.#drain();
  }

  /** Resolves once every queued result has been handed out; rejects if a delivery threw. */
  async idle(): Promise<void> {
    await this.#draining;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
        await fanOut(next.shared, next.subscribers, this.#options);
      }
    } catch (error) {
      this.#failure ??= error;
      this.#pending.length = 0;
    } finally {
      this.#draining = undefined;
    }
  }
}
