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
   * The share of time calls may take (0–1]: after a call that took `t` ms from start to settling
   * the next one starts `t / share` ms after it began. A call computes on a worker thread, so the
   * event loop is free meanwhile; the share keeps that thread from taking the cores ingest and the
   * detectors need, while a small genome's sub-millisecond calls follow each batch at once.
   */
  share: number;
}

/** Calling a sample: settles when its calls are published; what it took is measured by the scheduler. */
export type CallSample = (sample: number) => Promise<void> | void;

/**
 * Calls each sample as soon as a batch of its reads has been merged into its pileup, not on a
 * timer. Calls are coalesced: a sample is called once however many batches landed since its last
 * call, one call at a time (the next starts once the last has published its alarms, so alarms
 * keep their order), samples waiting longest first, and only within the
 * {@link CallSchedulerOptions.share} of time calls may take.
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
  /** The call under way, settled once its alarms are published. */
  #running: Promise<void> | undefined;
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

  /**
   * Calls nothing more (the run's final calls are made by the run itself); settles once the call
   * under way, if any, has published its alarms, so that none is lost or overtaken by the final calls.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.clear();
    this.#cancel();
    await this.#running;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined || this.#waiting.size === 0) return;
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
      this.#running = this.#run(sample, now);
      return;
    }
    this.#schedule();
  }

  /** Makes one call and, once it has settled, paces the next by what it took. */
  async #run(sample: number, startedAt: number): Promise<void> {
    try {
      await this.#call(sample);
    } finally {
      const took = performance.now() - startedAt;
      this.#nextCallAt = startedAt + took / this.#options.share;
      this.#running = undefined;
      if (!this.#closed) this.#schedule();
    }
  }

  #cancel(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer as NodeJS.Timeout);
    clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }
}
