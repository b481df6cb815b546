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

/** How many subscribers are served between two looks at the clock. */
const CLOCK_EVERY = 32;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Delivers `shared` to each of `subscribers` in order, in slices of at most `sliceMs` of the
 * event loop, and resolves once the last has it. The caller waits for one fan-out to end before it
 * starts the next, so every subscriber receives results in the order they were produced; a
 * subscriber that leaves during a fan-out is still in `subscribers` and must ignore the delivery
 * itself (every {@link Subscriber} does once ended).
 */
export async function fanOut(
  shared: SharedResult,
  subscribers: readonly Subscriber[],
  options: FanOutOptions = {},
): Promise<void> {
  const sliceMs = options.sliceMs ?? 5;
  let sliceEnds = performance.now() + sliceMs;
  for (let index = 0; index < subscribers.length; index += 1) {
    (subscribers[index] as Subscriber).deliver(shared);
    if (index % CLOCK_EVERY === CLOCK_EVERY - 1 && index + 1 < subscribers.length && performance.now() > sliceEnds) {
      await nextTurn();
      sliceEnds = performance.now() + sliceMs;
    }
  }
}
