import {
  type AnalysisRecord,
  type MetricSampleRecord,
  type ResultStore,
  type VariantRecord,
  variantCallKey,
} from './records.js';
import { retryWithBackoff } from './retry.js';

/** How the sink batches and retries. */
export interface SinkOptions {
  /** Rows per write (default 500). */
  maxRowsPerWrite?: number;
  /** Longest a row waits before a write is attempted (default 100 ms). */
  flushIntervalMs?: number;
  /** First retry delay after a failed write, doubled up to `maxRetryDelayMs` (default 100 ms). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Told about each failed write; the rows are kept and retried. */
  onWriteError?: (error: Error, retryInMs: number) => void;
  /** Told after each successful write, so backpressure can ease as soon as the lag shrinks. */
  onWritten?: () => void;
}

/**
 * Batched, retried persistence. Rows wait in memory until written; a failed write is retried with
 * exponential backoff and its rows are never dropped. The number of waiting rows (`lag`) is
 * reported to the queue as backpressure, so a slow or absent database slows the producer
 * instead of filling memory.
 */
export class BatchedSink {
  readonly #store: ResultStore;
  readonly #options: Required<Omit<SinkOptions, 'onWriteError' | 'onWritten'>> &
    Pick<SinkOptions, 'onWriteError' | 'onWritten'>;
  #analyses: AnalysisRecord[] = [];
  #variants = new Map<string, VariantRecord>();
  #samples: MetricSampleRecord[] = [];
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Aborted by `close`, so a write retrying against an absent database ends at once. */
  readonly #closing = new AbortController();
  #failures = 0;
  #written = 0;

  constructor(store: ResultStore, options: SinkOptions = {}) {
    this.#store = store;
    this.#options = {
      maxRowsPerWrite: options.maxRowsPerWrite ?? 500,
      flushIntervalMs: options.flushIntervalMs ?? 100,
      retryDelayMs: options.retryDelayMs ?? 100,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 5_000,
      onWriteError: options.onWriteError,
      onWritten: options.onWritten,
    };
  }

  /** Rows accepted but not yet written. */
  get lag(): number {
    return this.#analyses.length + this.#variants.size + this.#samples.length;
  }

  /** Analyses not yet written: one per batch, the unit the queue's water marks count. */
  get pendingAnalyses(): number {
    return this.#analyses.length;
  }

  /** Failed writes so far (each retried). */
  get writeFailures(): number {
    return this.#failures;
  }

  /** Rows written so far. */
  get rowsWritten(): number {
    return this.#written;
  }

  addAnalysis(row: AnalysisRecord): void {
    this.#analyses.push(row);
    this.#schedule();
  }

  /** Adds variant calls; a later call for the same site replaces an unwritten earlier one. */
  addVariants(rows: VariantRecord[]): void {
    for (const row of rows) this.#variants.set(variantCallKey(row), row);
    if (rows.length > 0) this.#schedule();
  }

  addMetricSample(row: MetricSampleRecord): void {
    this.#samples.push(row);
    this.#schedule();
  }

  /** Writes everything accepted so far, retrying until it is stored (or the sink is closed). */
  async drain(): Promise<void> {
    while (this.lag > 0 && !this.#closed) await this.#flush();
    await this.#flushing;
  }

  /** Stops retrying; rows still waiting are abandoned (after a drain there are none). */
  close(): void {
    this.#closing.abort();
    clearTimeout(this.#timer);
  }

  get #closed(): boolean {
    return this.#closing.signal.aborted;
  }

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    const due = this.lag >= this.#options.maxRowsPerWrite ? 0 : this.#options.flushIntervalMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush().then(() => {
        if (this.lag > 0) this.#schedule();
      });
    }, due);
  }

  #flush(): Promise<void> {
    this.#flushing ??= this.#writeAll().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #writeAll(): Promise<void> {
    const limit = this.#options.maxRowsPerWrite;
    while (this.lag > 0 && !this.#closed) {
      const analyses = this.#analyses.slice(0, limit);
      const variants = this.#firstVariants(limit);
      const samples = this.#samples.slice(0, limit);
      try {
        await this.#write(analyses, variants, samples);
      } catch (error) {
        // Closed while retrying: the rows are abandoned, as `close` says.
        if (this.#closed) return;
        throw error;
      }
      if (this.#closed) return;
      this.#analyses.splice(0, analyses.length);
      for (const row of variants) {
        const key = variantCallKey(row);
        // Keep a newer call for the site that arrived while this one was being written.
        if (this.#variants.get(key) === row) this.#variants.delete(key);
      }
      this.#samples.splice(0, samples.length);
      this.#written += analyses.length + variants.length + samples.length;
      this.#options.onWritten?.();
    }
  }

  /** The first `limit` variants waiting, without copying all of them (a run's end holds thousands). */
  #firstVariants(limit: number): VariantRecord[] {
    const variants: VariantRecord[] = [];
    for (const row of this.#variants.values()) {
      if (variants.length === limit) break;
      variants.push(row);
    }
    return variants;
  }

  /** Writes one slice of each kind of row, retrying until the store takes them or the sink closes. */
  #write(analyses: AnalysisRecord[], variants: VariantRecord[], samples: MetricSampleRecord[]): Promise<void> {
    return retryWithBackoff(
      async () => {
        // Analyses first: a run's variant evidence never shows before the batches it came from.
        if (analyses.length > 0) await this.#store.writeAnalyses(analyses);
        if (variants.length > 0) await this.#store.upsertVariants(variants);
        if (samples.length > 0) await this.#store.writeMetricSamples(samples);
      },
      {
        initialDelayMs: this.#options.retryDelayMs,
        maxDelayMs: this.#options.maxRetryDelayMs,
        signal: this.#closing.signal,
        onFailure: (error, retryInMs) => {
          this.#failures += 1;
          this.#options.onWriteError?.(error, retryInMs);
        },
      },
    );
  }
}
