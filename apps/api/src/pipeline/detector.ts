import type { AlignerIndex, Reference } from '@helix/native';
import type { RunConfig } from './config.js';
import type { AnalysisRecord } from './records.js';
import { WorkerPool } from './worker-pool.js';

/** A batch's reads as a detector receives them. */
export interface DetectionJob {
  /** The batch's place in its run (its identity for idempotent writes). */
  sequence: number;
  reads: number;
  bases: Uint8Array;
  qualities: Uint8Array;
  offsets: Uint32Array;
  /** Reads `2k` and `2k + 1` are mates, placed as pairs. */
  paired?: boolean;
  /** The batch's sample, by its index in the run (detectors analyse any sample alike; the run's owner keeps one pileup each). */
  sample?: number;
}

/** What a detector thread found in one batch. */
export interface DetectionResult {
  reads: number;
  mappedReads: number;
  /** Reads placed in proper pairs (none in single-end batches). */
  properlyPairedReads?: number;
  /** Reads with at least one mismatch or indel against the reference. */
  mutatedReads: number;
  /** Mismatches and indels seen in the batch's reads. */
  mutationsFound: number;
  /** Serialised evidence for the pileup. */
  evidence: Uint8Array;
  processingTimeMs: number;
  /** True when the detector already stored the batch's analysis row (remote workers do). */
  stored?: boolean;
}

/** The stored row of one analysed batch. */
export function analysisRecord(runId: string, sequence: number, result: DetectionResult): AnalysisRecord {
  return {
    runId,
    sequence,
    reads: result.reads,
    mappedReads: result.mappedReads,
    mutatedReads: result.mutatedReads,
    mutationsFound: result.mutationsFound,
    processingTimeMs: result.processingTimeMs,
    createdAt: new Date(),
  };
}

/**
 * Where a run's batches are analysed: this process's detector threads ({@link DetectorPool}), or
 * detector worker processes behind a Redis stream.
 */
export interface BatchDetectors {
  /** Batches handed over and not finished yet. */
  readonly inFlight: number;
  /** Of those, batches no detector has started yet (a stream's waiting entries). */
  readonly queued: number;
  /** Batches of pressure the detectors add to the run's queue (0 for threads). */
  readonly backlog: number;
  /** Whether another batch can be handed over at once. */
  readonly hasIdleWorker: boolean;
  ready(): Promise<void>;
  analyse(job: DetectionJob): Promise<DetectionResult>;
  /**
   * Withdraws batches handed over that no detector has started (a stop without drain); their
   * `analyse` promises reject with {@link BatchDiscardedError}.
   */
  discardQueued?(): Promise<void>;
  close(): Promise<void>;
}

/** Raised for a batch withdrawn from the detectors by a stop without drain. */
export class BatchDiscardedError extends Error {
  override name = 'BatchDiscardedError';
}

/** Handed to each detector thread when it starts. */
export interface DetectorWorkerData {
  indexHandle: number;
  options: { minMappingQuality?: number; minBaseQuality?: number };
}

/** Options of a {@link DetectorPool}. */
export interface DetectorPoolOptions {
  /** Detector threads (default: one per core). */
  workers?: number;
  onWorkerCrash?: (error: Error) => void;
}

/**
 * The detector thread pool: each thread maps batches against one shared alignment index
 * (shared by handle, not copied) and returns their evidence.
 */
export class DetectorPool implements BatchDetectors {
  readonly #pool: WorkerPool<DetectionJob, DetectionResult>;

  constructor(index: AlignerIndex, options: DetectorPoolOptions = {}) {
    const workerData: DetectorWorkerData = { indexHandle: index.handle, options: {} };
    this.#pool = new WorkerPool({
      script: new URL('./detector-worker.js', import.meta.url),
      workerData,
      ...(options.workers !== undefined && { size: options.workers }),
      ...(options.onWorkerCrash && { onWorkerCrash: options.onWorkerCrash }),
    });
  }

  /** Batches being analysed now. */
  get inFlight(): number {
    return this.#pool.inFlight + this.#pool.waiting;
  }

  /** Jobs wait in no queue of the pool's own: the run hands one over only to an idle thread. */
  get queued(): number {
    return 0;
  }

  get backlog(): number {
    return 0;
  }

  /** Threads in the pool. */
  get size(): number {
    return this.#pool.size;
  }

  /** Whether another batch can start at once. */
  get hasIdleWorker(): boolean {
    return this.#pool.inFlight + this.#pool.waiting < this.#pool.size;
  }

  get crashes(): number {
    return this.#pool.crashes;
  }

  ready(): Promise<void> {
    return this.#pool.ready();
  }

  analyse(job: DetectionJob): Promise<DetectionResult> {
    return this.#pool.run(job);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** Something the operator should know, with details for the log. */
export type DetectorWarning = (message: string, detail?: Record<string, unknown>) => void;

/** What a run tells the factory of its detectors. */
export interface DetectorsContext {
  runId: string;
  config: RunConfig;
  reference: Reference;
  index: AlignerIndex;
  /** Called when the detectors' backlog changes, so the throttle can look again. */
  onBacklogChange(): void;
  /** E.g. a detector thread died, or no worker is taking batches. */
  warning: DetectorWarning;
}

/** Creates the detectors of a run (threads, or a stream to worker processes). */
export type DetectorsFactory = (context: DetectorsContext) => Promise<BatchDetectors>;

/** Detector threads over `index`; one that dies is replaced, its batch redone, and `warning` told. */
export function createDetectorThreads(
  index: AlignerIndex,
  options: { workers?: number | undefined; warning: DetectorWarning },
): DetectorPool {
  return new DetectorPool(index, {
    ...(options.workers !== undefined && { workers: options.workers }),
    onWorkerCrash: (error) =>
      options.warning('detector thread died; replaced, its batch redone', { reason: error.message }),
  });
}

/** The default detectors of a run: threads in this process sharing the run's index. */
export const detectorThreads: DetectorsFactory = async ({ config, index, warning }) =>
  createDetectorThreads(index, { workers: config.workers, warning });
