import type { WaterMarks } from './queue.js';

/** A sliding-window rate: events per second over the last `windowMs`. */
export class RateMeter {
  readonly #samples: { at: number; count: number }[] = [];

  constructor(private readonly windowMs = 2_000) {}

  /** Records `count` events at time `at` (ms). */
  record(count: number, at = performance.now()): void {
    this.#samples.push({ at, count });
    this.#trim(at);
  }

  /** Events per second over the window ending at `at`. */
  rate(at = performance.now()): number {
    this.#trim(at);
    let total = 0;
    for (const sample of this.#samples) total += sample.count;
    return (total * 1_000) / this.windowMs;
  }

  #trim(now: number): void {
    while (this.#samples.length > 0 && (this.#samples[0]?.at ?? now) < now - this.windowMs) this.#samples.shift();
  }
}

/**
 * Latency percentiles over the most recent observations (a ring of fixed size, so memory stays
 * bounded however long the run).
 */
export class LatencyWindow {
  readonly #values: Float64Array;
  #count = 0;
  #next = 0;

  constructor(size = 4_096) {
    this.#values = new Float64Array(size);
  }

  observe(milliseconds: number): void {
    this.#values[this.#next] = milliseconds;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#count = Math.min(this.#count + 1, this.#values.length);
  }

  /** The `p`-th percentile (0–100) of the window, or undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.#count === 0) return undefined;
    const sorted = this.#values.slice(0, this.#count).sort();
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index];
  }
}

/** One snapshot of the live pipeline, as published to subscribers each tick. */
export interface PipelineMetrics {
  at: Date;
  /** Reads per second taken from the producer. */
  ingestionRate: number;
  /** Reads per second analysed by the detectors. */
  processingRate: number;
  queueDepth: number;
  inFlight: number;
  throttled: boolean;
  throttleEvents: number;
  highWater: number;
  lowWater: number;
  /** Reads taken from the producer into the pipeline. */
  readsProduced: number;
  readsAnalysed: number;
  /** Reads waiting in the queue. */
  readsQueued: number;
  /** Reads inside a detector thread now. */
  readsInFlight: number;
  /** Reads dropped by a stop without drain; `produced = analysed + queued + in flight + discarded`. */
  readsDiscarded: number;
  batchesProduced: number;
  batchesAnalysed: number;
  /** Rows produced but not yet written by the sink. */
  sinkLag: number;
  latencyP50Ms: number | undefined;
  latencyP99Ms: number | undefined;
  variantsConfirmed: number;
  /** Analysed reads that mapped to the reference. */
  mappedReads: number;
  /** Analysed reads placed in proper pairs (none for single-end reads). */
  properlyPairedReads: number;
  /** Mean depth over the whole reference (refreshed about once a second). */
  meanDepth: number;
  /** Fraction of reference positions (0–1) covered by at least one read. */
  breadth1x: number;
  /** Fraction of reference positions (0–1) covered by at least ten reads. */
  breadth10x: number;
  /** Complete files in a DIRECTORY run's folder not taken yet (0 for other runs). */
  filesWaiting: number;
  /** Their bytes. */
  bytesWaiting: number;
}

/**
 * What an idle pipeline reports: the last run's totals and marks, nothing moving (before any run,
 * only the marks are known and every total is zero).
 */
export function idleMetrics(last: PipelineMetrics | WaterMarks): PipelineMetrics {
  return {
    throttleEvents: 0,
    readsProduced: 0,
    readsAnalysed: 0,
    readsQueued: 0,
    readsInFlight: 0,
    readsDiscarded: 0,
    batchesProduced: 0,
    batchesAnalysed: 0,
    latencyP50Ms: undefined,
    latencyP99Ms: undefined,
    variantsConfirmed: 0,
    mappedReads: 0,
    properlyPairedReads: 0,
    meanDepth: 0,
    breadth1x: 0,
    breadth10x: 0,
    ...last,
    at: new Date(),
    ingestionRate: 0,
    processingRate: 0,
    queueDepth: 0,
    inFlight: 0,
    throttled: false,
    sinkLag: 0,
    filesWaiting: 0,
    bytesWaiting: 0,
  };
}
