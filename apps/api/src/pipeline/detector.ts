import type { AlignerIndex } from '@helix/native';
import { WorkerPool } from './worker-pool.js';

/** A batch's reads as a detector thread receives them. */
export interface DetectionJob {
  bases: Uint8Array;
  qualities: Uint8Array;
  offsets: Uint32Array;
}

/** What a detector thread found in one batch. */
export interface DetectionResult {
  reads: number;
  mappedReads: number;
  /** Reads with at least one mismatch or indel against the reference. */
  mutatedReads: number;
  /** Mismatches and indels seen in the batch's reads. */
  mutationsFound: number;
  /** Serialised evidence for the pileup. */
  evidence: Uint8Array;
  processingTimeMs: number;
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
export class DetectorPool {
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
