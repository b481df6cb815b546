import type { ReadBatch } from '@helix/native';
import type { BatchDetectors, DetectionResult } from './detector.js';
import { LatencyWindow, RateMeter } from './metrics.js';
import { BoundedQueue, type WaterMarks } from './queue.js';
import type { RunReadSource, TakenBatch } from './read-source.js';

/** A batch waiting in the queue, stamped for end-to-end latency. */
export interface QueuedBatch extends TakenBatch {
  enqueuedAt: number;
}

/** What a {@link RunIngest} tells its run of each batch. */
export interface IngestListener {
  /** The queue throttled the read source (true), or let it go on (false). */
  throttleChanged(throttled: boolean): void;
  /** A batch was taken from the read source into the queue. */
  taken(batch: ReadBatch): void;
  /** A batch left the queue for a detector. */
  dispatched(batch: ReadBatch): void;
  analysed(item: QueuedBatch, result: DetectionResult): void;
  failed(item: QueuedBatch, error: Error): void;
}

/** How the ingest loop ended: the input ran out, the run stopped, or the read source failed. */
export type IngestEnd = { kind: 'ended' } | { kind: 'stopped' } | { kind: 'failed'; reason: string };

/**
 * A run's ingest loop: pulls batches from the read source into its bounded queue while the queue
 * is not throttled, and hands queued batches to idle detectors. Above high-water the queue pauses
 * the read source and the loop waits; below low-water both go on. Once {@link stop} is called it
 * takes nothing more.
 */
export class RunIngest {
  /** The run's bounded queue (its pressure also counts lag set from outside). */
  readonly queue: BoundedQueue<QueuedBatch>;
  /** Reads taken from the read source per second. */
  readonly ingestion = new RateMeter();
  /** Reads analysed per second. */
  readonly processing = new RateMeter();
  /** Queue-to-analysed latency of recent batches. */
  readonly latency = new LatencyWindow();
  readonly #reads: RunReadSource;
  readonly #detectors: BatchDetectors;
  readonly #listener: IngestListener;
  #stopping = false;
  #resumeWaiter: (() => void) | undefined;

  constructor(reads: RunReadSource, detectors: BatchDetectors, marks: WaterMarks, listener: IngestListener) {
    this.#reads = reads;
    this.#detectors = detectors;
    this.#listener = listener;
    this.queue = new BoundedQueue<QueuedBatch>(marks, {
      throttle: () => {
        reads.pause();
        listener.throttleChanged(true);
      },
      resume: () => {
        reads.resume();
        listener.throttleChanged(false);
        this.#resumeWaiter?.();
      },
    });
  }

  /** Pulls batches until the input ends, the run stops, or the read source fails. */
  async run(): Promise<IngestEnd> {
    try {
      while (!this.#stopping) {
        if (this.queue.throttled) {
          await new Promise<void>((resolve) => {
            this.#resumeWaiter = resolve;
          });
          this.#resumeWaiter = undefined;
          continue;
        }
        const taken = await this.#reads.next();
        if (!taken) return { kind: this.#stopping ? 'stopped' : 'ended' };
        this.#listener.taken(taken.batch);
        this.ingestion.record(taken.batch.reads);
        this.queue.push({ ...taken, enqueuedAt: performance.now() });
        this.dispatch();
      }
    } catch (error) {
      return { kind: 'failed', reason: (error as Error).message };
    }
    return { kind: 'stopped' };
  }

  /** Takes no more batches; a loop waiting out the throttle ends. */
  stop(): void {
    this.#stopping = true;
    this.#resumeWaiter?.();
  }

  /** Hands queued batches to detectors while one is idle. */
  dispatch(): void {
    while (this.#detectors.hasIdleWorker && this.queue.length > 0) {
      const item = this.queue.shift() as QueuedBatch;
      const { batch } = item;
      this.#listener.dispatched(batch);
      const { sequence, reads, bases, qualities, offsets, paired } = batch;
      this.#detectors.analyse({ sequence, reads, bases, qualities, offsets, paired, sample: item.sample }).then(
        (result) => {
          this.processing.record(batch.reads);
          this.latency.observe(performance.now() - item.enqueuedAt);
          this.#listener.analysed(item, result);
        },
        (error: Error) => this.#listener.failed(item, error),
      );
    }
  }
}
