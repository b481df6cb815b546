import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link retryWithBackoff} waits between attempts. */
export interface BackoffOptions {
  /** The first wait; doubled after each failure, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Ends the retrying: a wait in progress is cut short and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told about each failed attempt and how long until the next one. */
  onFailure?(error: Error, retryInMs: number): void;
}

/**
 * Runs `attempt` until it succeeds, with exponential backoff and jitter between attempts. Rejects
 * only when `signal` aborts, and only once an attempt has failed: the first attempt is always
 * made, and one already running is not interrupted.
 */
export async function retryWithBackoff<T>(attempt: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const { signal } = options;
  for (let delay = options.initialDelayMs; ; delay = Math.min(delay * 2, options.maxDelayMs)) {
    try {
      return await attempt();
    } catch (error) {
      signal?.throwIfAborted();
      // Half fixed, half random: many writers retrying against one recovering database spread out.
      const wait = delay / 2 + Math.random() * (delay / 2);
      options.onFailure?.(error as Error, wait);
      try {
        await sleep(wait, undefined, signal ? { signal } : {});
      } catch (aborted) {
        // End with the signal's own reason rather than the timer's AbortError.
        signal?.throwIfAborted();
        throw aborted;
      }
    }
  }
}
