/** The share of the event loop live calls may take by default: a fifth. */
export const DEFAULT_CALL_SHARE = 0.2;

/** How a {@link CallScheduler} spaces its calls. */
export interface CallSchedulerOptions {
  /**
   * The least time between two calls of one sample (0: none). A run that needs only its final
   * calls (`helix analyze`) sets it long.
   */
  minIntervalMs: number;
  /**
   * The share of the event loop's time calls may take (0–1]: after a call that took `t` ms the next
   * one starts `t / share` ms after it began, so a caller that scans a large genome cannot starve
   * ingest and delivery, while a small genome's sub-millisecond calls follow each batch at once.
   */
  share: number;
}

/** Calling a sample: what it took is measured by the scheduler. */
export type CallSample = (sample: number) => void;

/**
 * Calls each sample as soon as a batch of its reads has been merged into its pileup, not on a
 * timer. Calls are coalesced: a sample is called once however many batches landed since its last
 * call, one sample per turn of the event loop (so alarms already made go out between calls),
 * samples waiting longest first, and only within the {@link CallSchedulerOptions.share} of time
 * calls may take.
 */
export class CallScheduler {
  readonly #call: CallSample;
  readonly #options: CallSchedulerOptions;
  /** Samples with reads merged since their last call, in the order they first waited. */
  readonly #waiting = new Set<number>();
  readonly #lastCallAt = new Map<number, number>();
  /** When the share allows the next call (performance.now() ms). */
  #nextCallAt = 0;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #closed = false;

  constructor(call: CallSample, options: CallSchedulerOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new RangeError('share must be above 0 and at most 1');
    this.#call = call;
    this.#options = options;
  }

  /** Told when a batch of `sample` has been merged into its pileup. */
  merged(sample: number): void {
    if (this.#closed) return;
    this.#waiting.add(sample);
    this.#schedule();
  }

  /** Calls nothing more (the run's final calls are made by the run itself). */
  close(): void {
    this.#closed = true;
    this.#waiting.clear();
    this.#cancel();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiting.size === 0) return;
    const delay = this.#dueAt() - performance.now();
    if (delay <= 0) {
      this.#timer = setImmediate(() => this.#callNext());
    } else {
      this.#timer = setTimeout(() => this.#callNext(), delay);
      this.#timer.unref();
    }
  }

  /** When the next call may start: the share's pause, and the earliest sample's interval. */
  #dueAt(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const sample of this.#waiting) earliest = Math.min(earliest, this.#sampleDueAt(sample));
    return Math.max(this.#nextCallAt, earliest);
  }

  #sampleDueAt(sample: number): number {
    const last = this.#lastCallAt.get(sample);
    return last === undefined ? 0 : last + this.#options.minIntervalMs;
  }

  #callNext(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    const now = performance.now();
    const sample = [...this.#waiting].find((waiting) => this.#sampleDueAt(waiting) <= now);
    if (sample !== undefined && this.#nextCallAt <= now) {
      this.#waiting.delete(sample);
      this.#lastCallAt.set(sample, now);
      this.#call(sample);
      const took = performance.now() - now;
      this.#nextCallAt = now + took / this.#options.share;
    }
    this.#schedule();
  }

  #cancel(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }
}
