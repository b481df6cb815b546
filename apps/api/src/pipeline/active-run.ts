import {
  AlignerIndex,
  type ContigInfo,
  Pileup,
  Producer,
  type ReadBatch,
  Reference,
  type VariantCall,
  VariantCaller,
} from '@helix/native';
import type { RunConfig } from './config.js';
import {
  analysisRecord,
  type BatchDetectors,
  BatchDiscardedError,
  type DetectionResult,
  DetectorPool,
} from './detector.js';
import type { PipelineObserver } from './events.js';
import { LatencyWindow, type PipelineMetrics, RateMeter } from './metrics.js';
import { BoundedQueue } from './queue.js';
import type { ResultStore, RunStatusKind, RunTotals, VariantRecord } from './records.js';
import { BatchedSink, type SinkOptions } from './sink.js';

/** A batch waiting in the queue, stamped for end-to-end latency. */
interface QueuedBatch {
  batch: ReadBatch;
  enqueuedAt: number;
}

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: RunStatusKind;
  totals: RunTotals;
  /** Batches dropped from the queue by a stop without drain. */
  batchesDiscarded: number;
  error: string | undefined;
  /** Reads whose bases held characters other than ACGTN (read as N), reported to the user. */
  ambiguousReads: number;
  /** Every call of the run at its end, candidates included. */
  calls: VariantCall[];
  /** The reference's contigs, in file order. */
  contigs: ContigInfo[];
}

/** Services a run needs from its pipeline. */
export interface RunServices {
  store: ResultStore;
  observer: PipelineObserver;
  sinkOptions?: SinkOptions;
  /** Called on every throttle / resume so the pipeline can publish its state. */
  onThrottleChange(throttled: boolean): void;
  /** Where batches are analysed (default: this process's detector threads). */
  createDetectors?: DetectorsFactory;
}

/** What a run tells the factory of its detectors. */
export interface DetectorsContext {
  runId: string;
  config: RunConfig;
  reference: Reference;
  index: AlignerIndex;
  /** Called when the detectors' backlog changes, so the throttle can look again. */
  onBacklogChange(): void;
  onWorkerCrash(error: Error): void;
  /** Something the operator should know (e.g. no worker is taking batches). */
  warning(message: string, detail?: Record<string, unknown>): void;
}

/** Creates the detectors of a run (threads, or a stream to worker processes). */
export type DetectorsFactory = (context: DetectorsContext) => Promise<BatchDetectors>;

/** The default: detector threads in this process sharing the run's index. */
const threadDetectors: DetectorsFactory = async ({ config, index, onWorkerCrash }) =>
  new DetectorPool(index, { ...(config.workers !== undefined && { workers: config.workers }), onWorkerCrash });

/** What a run needs before its first batch: reference, index and read source. */
interface RunInputs {
  reference: Reference;
  index: AlignerIndex;
  producer: Producer;
}

async function prepareInputs(config: RunConfig): Promise<RunInputs> {
  const reference = config.referencePath
    ? await Reference.loadFasta(config.referencePath)
    : Reference.random(config.referenceLength, config.seed);
  const index = await AlignerIndex.build(reference);
  let producer: Producer;
  if (config.source === 'FASTQ') {
    const files = config.readsPaths ?? [];
    producer = Producer.fastq(files, {
      paired: files.length === 2,
      batchSize: config.batchSize,
      readsPerSecond: config.readsPerSecond,
    });
  } else {
    const sample = reference.mutate({
      mutationRate: config.mutationRate,
      indelFraction: config.indelFraction,
      seed: config.seed,
    });
    producer = Producer.simulated(sample, {
      readLength: config.readLength,
      errorRate: config.errorRate,
      seed: config.seed,
      batchSize: config.batchSize,
      readsPerSecond: config.readsPerSecond,
      ...(config.totalReads !== undefined && { totalReads: config.totalReads }),
    });
  }
  return { reference, index, producer };
}

/**
 * One run of the pipeline: pulls batches from the producer into the bounded queue, hands them to
 * the detector threads, accumulates their evidence in a pileup, calls variants, and feeds the
 * sink. Backpressure: above high-water (queue plus sink lag) it stops pulling and pauses the
 * producer; below low-water it resumes. At every instant
 * `readsProduced = readsAnalysed + queued + in flight (+ discarded after a stop without drain)`.
 */
export class ActiveRun {
  readonly runId: string;
  readonly config: RunConfig;
  readonly reference: Reference;
  readonly #index: AlignerIndex;
  readonly #producer: Producer;
  readonly #services: RunServices;
  readonly #queue: BoundedQueue<QueuedBatch>;
  #pool!: BatchDetectors;
  readonly #pileup: Pileup;
  readonly #caller: VariantCaller;
  readonly sink: BatchedSink;
  readonly #ingestion = new RateMeter();
  readonly #processing = new RateMeter();
  readonly #latency = new LatencyWindow();
  readonly #confirmed = new Set<string>();
  #readsProduced = 0;
  #batchesProduced = 0;
  #readsAnalysed = 0;
  #batchesAnalysed = 0;
  #readsInFlight = 0;
  #readsDiscarded = 0;
  #batchesDiscarded = 0;
  #ambiguousReads = 0;
  #inputEnded = false;
  #stopping = false;
  #failure: string | undefined;
  #resumeWaiter: (() => void) | undefined;
  #idleWaiter: (() => void) | undefined;
  #spikeTimer: NodeJS.Timeout | undefined;
  #ingesting: Promise<void> = Promise.resolve();
  /** Resolves when the input is exhausted and everything taken has been analysed. */
  readonly finished: Promise<void>;
  #finish!: () => void;

  private constructor(runId: string, config: RunConfig, inputs: RunInputs, services: RunServices) {
    this.runId = runId;
    this.config = config;
    this.reference = inputs.reference;
    this.#index = inputs.index;
    this.#producer = inputs.producer;
    this.#services = services;
    this.finished = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.sink = new BatchedSink(services.store, {
      ...services.sinkOptions,
      onWriteError: (error, retryInMs) =>
        services.observer.warning?.('result write failed, retrying', { reason: error.message, retryInMs }),
      // Re-evaluate the pressure at once: waiting for the next metrics tick would hold the
      // producer back up to a tick after the database caught up.
      onWritten: () => this.#updatePressure(),
    });
    this.#queue = new BoundedQueue<QueuedBatch>(
      { highWater: config.highWater, lowWater: config.lowWater },
      {
        throttle: () => {
          this.#producer.pause();
          services.onThrottleChange(true);
        },
        resume: () => {
          this.#producer.resume();
          services.onThrottleChange(false);
          this.#resumeWaiter?.();
        },
      },
    );
    this.#pileup = new Pileup(this.#index);
    this.#caller = new VariantCaller({
      minDepth: config.minDepth,
      minAlleleFrequency: config.minAlleleFrequency,
      minQuality: config.minQuality,
    });
  }

  /** Loads the reference, builds the index, creates the Run row, and starts pulling batches. */
  static async start(config: RunConfig, services: RunServices): Promise<ActiveRun> {
    const inputs = await prepareInputs(config);
    try {
      const contigs = inputs.reference.contigs;
      const runId = await services.store.createRun({
        source: config.source,
        config: { ...config },
        referenceName: contigs.length === 1 ? (contigs[0]?.name ?? 'reference') : `${contigs.length} contigs`,
        referenceLength: inputs.reference.totalLength,
        contigs: contigs.map(({ name, length }) => ({ name, length })),
      });
      const run = new ActiveRun(runId, config, inputs, services);
      run.#pool = await (services.createDetectors ?? threadDetectors)({
        runId,
        config,
        reference: inputs.reference,
        index: inputs.index,
        onBacklogChange: () => run.#updatePressure(),
        onWorkerCrash: (error) =>
          services.observer.warning?.('detector thread died; replaced, its batch redone', { reason: error.message }),
        warning: (message, detail) => services.observer.warning?.(message, detail),
      });
      await run.#pool.ready();
      run.#ingesting = run.#ingest();
      return run;
    } catch (error) {
      inputs.producer.close();
      inputs.index.release();
      throw error;
    }
  }

  get throttled(): boolean {
    return this.#queue.throttled;
  }

  get marks(): { highWater: number; lowWater: number } {
    return this.#queue.marks;
  }

  setMarks(highWater: number, lowWater: number): void {
    this.#queue.setMarks({ highWater, lowWater });
  }

  /** Multiplies the producer's target rate for `seconds`, then restores it. */
  spike(multiplier: number, seconds: number): void {
    clearTimeout(this.#spikeTimer);
    this.#producer.setRate(Math.round(this.config.readsPerSecond * multiplier));
    this.#spikeTimer = setTimeout(() => this.#producer.setRate(this.config.readsPerSecond), seconds * 1_000);
    this.#spikeTimer.unref();
  }

  totals(): RunTotals {
    return {
      readsProduced: this.#readsProduced,
      readsAnalysed: this.#readsAnalysed,
      batchesAnalysed: this.#batchesAnalysed,
      variantsConfirmed: this.#confirmed.size,
    };
  }

  metrics(): PipelineMetrics {
    const now = performance.now();
    return {
      at: new Date(),
      ingestionRate: this.#ingestion.rate(now),
      processingRate: this.#processing.rate(now),
      queueDepth: this.#queue.length + this.#pool.queued,
      inFlight: this.#pool.inFlight - this.#pool.queued,
      throttled: this.#queue.throttled,
      throttleEvents: this.#queue.throttleEvents,
      highWater: this.#queue.marks.highWater,
      lowWater: this.#queue.marks.lowWater,
      readsProduced: this.#readsProduced,
      readsAnalysed: this.#readsAnalysed,
      readsQueued: this.#readsQueued(),
      readsInFlight: this.#readsInFlight,
      readsDiscarded: this.#readsDiscarded,
      batchesProduced: this.#batchesProduced,
      batchesAnalysed: this.#batchesAnalysed,
      sinkLag: this.sink.lag,
      latencyP50Ms: this.#latency.percentile(50),
      latencyP99Ms: this.#latency.percentile(99),
      variantsConfirmed: this.#confirmed.size,
    };
  }

  /** Calls variants that are new or changed since the last call and hands them to the sink. */
  callVariants(): void {
    this.#publish(this.#caller.update(this.#pileup));
  }

  /** Every call of the run as it stands (for the final write and the VCF). */
  allCalls(): VariantCall[] {
    return this.#caller.callAll(this.#pileup);
  }

  /**
   * Stops taking batches. With `drain`, everything taken is analysed first; without, queued
   * batches are discarded (counted) and only those already in a detector finish.
   */
  async stop(drain: boolean): Promise<RunOutcome> {
    this.#stopping = true;
    this.#producer.close();
    this.#resumeWaiter?.();
    clearTimeout(this.#spikeTimer);
    await this.#ingesting;
    if (!drain) {
      for (const { batch } of this.#queue.clear()) {
        this.#readsDiscarded += batch.reads;
        this.#batchesDiscarded += 1;
      }
      await this.#pool
        .discardQueued?.()
        .catch((error: Error) =>
          this.#services.observer.warning?.('queued batches could not be withdrawn', { reason: error.message }),
        );
    }
    await this.#idle();
    return this.#conclude(this.#failure ? 'FAILED' : drain && this.#inputEnded ? 'COMPLETED' : 'STOPPED');
  }

  async #conclude(status: RunStatusKind): Promise<RunOutcome> {
    const calls = this.allCalls();
    this.#publish(calls);
    await this.sink.drain();
    const totals = this.totals();
    await this.#services.store.finishRun(this.runId, status, totals, this.#failure);
    this.sink.close();
    await this.#pool.close();
    this.#index.release();
    return {
      runId: this.runId,
      status,
      totals,
      batchesDiscarded: this.#batchesDiscarded,
      error: this.#failure,
      ambiguousReads: this.#ambiguousReads,
      calls,
      contigs: this.reference.contigs,
    };
  }

  #readsQueued(): number {
    return this.#readsProduced - this.#readsAnalysed - this.#readsInFlight - this.#readsDiscarded;
  }

  async #ingest(): Promise<void> {
    try {
      while (!this.#stopping) {
        if (this.#queue.throttled) {
          await new Promise<void>((resolve) => {
            this.#resumeWaiter = resolve;
          });
          this.#resumeWaiter = undefined;
          continue;
        }
        const batch = await this.#producer.next();
        if (!batch) {
          this.#inputEnded = !this.#stopping;
          break;
        }
        this.#readsProduced += batch.reads;
        this.#batchesProduced += 1;
        this.#ambiguousReads += batch.ambiguousReads;
        this.#ingestion.record(batch.reads);
        this.#queue.push({ batch, enqueuedAt: performance.now() });
        this.#dispatch();
      }
    } catch (error) {
      this.#failure = (error as Error).message;
      this.#services.observer.warning?.('read source failed', { reason: this.#failure });
    }
    this.#checkFinished();
  }

  #dispatch(): void {
    while (this.#pool.hasIdleWorker && this.#queue.length > 0) {
      const item = this.#queue.shift() as QueuedBatch;
      const { batch } = item;
      this.#readsInFlight += batch.reads;
      const job = {
        sequence: batch.sequence,
        reads: batch.reads,
        bases: batch.bases,
        qualities: batch.qualities,
        offsets: batch.offsets,
      };
      this.#pool.analyse(job).then(
        (result) => this.#onAnalysed(item, result),
        (error: Error) => this.#onFailed(item, error),
      );
    }
  }

  #onAnalysed({ batch, enqueuedAt }: QueuedBatch, result: DetectionResult): void {
    this.#pileup.add(result.evidence);
    this.#readsInFlight -= batch.reads;
    this.#readsAnalysed += batch.reads;
    this.#batchesAnalysed += 1;
    this.#processing.record(batch.reads);
    this.#latency.observe(performance.now() - enqueuedAt);
    if (!result.stored) this.sink.addAnalysis(analysisRecord(this.runId, batch.sequence, result));
    this.#updatePressure();
    this.#dispatch();
    this.#checkFinished();
  }

  /** Pressure beyond the queue: analyses not yet stored, and batches waiting at remote detectors. */
  #updatePressure(): void {
    this.#queue.setExternalLag(this.sink.pendingAnalyses + this.#pool.backlog);
  }

  #onFailed({ batch }: QueuedBatch, error: Error): void {
    if (error instanceof BatchDiscardedError) {
      this.#readsInFlight -= batch.reads;
      this.#readsDiscarded += batch.reads;
      this.#batchesDiscarded += 1;
      this.#checkFinished();
      return;
    }
    // A batch the detector rejects (malformed reads) fails the run: silently skipping it would
    // break `produced = analysed`.
    this.#readsInFlight -= batch.reads;
    this.#readsDiscarded += batch.reads;
    this.#failure ??= `batch ${batch.sequence}: ${error.message}`;
    this.#stopping = true;
    this.#producer.close();
    this.#checkFinished();
  }

  #checkFinished(): void {
    if (this.#readsInFlight > 0 || (this.#queue.length > 0 && !this.#failure)) return;
    this.#idleWaiter?.();
    if (this.#inputEnded || this.#failure) this.#finish();
  }

  #idle(): Promise<void> {
    if (this.#readsInFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idleWaiter = () => {
        if (this.#readsInFlight === 0 && this.#queue.length === 0) resolve();
      };
    });
  }

  #publish(calls: VariantCall[]): void {
    if (calls.length === 0) return;
    const seenAt = new Date();
    const records: VariantRecord[] = calls.map((call) => ({
      runId: this.runId,
      contig: call.contig,
      position: call.position,
      ref: call.ref,
      alt: call.alt,
      type: call.type,
      genotype: call.genotype,
      depth: call.depth,
      altCount: call.altCount,
      alleleFrequency: call.alleleFrequency,
      quality: call.quality,
      status: call.status,
      seenAt,
    }));
    this.sink.addVariants(records);
    for (const record of records) {
      const key = `${record.contig}:${record.position}:${record.ref}:${record.alt}`;
      if (record.status === 'CONFIRMED') {
        if (!this.#confirmed.has(key)) {
          this.#confirmed.add(key);
          this.#services.observer.mutationDetected?.(record);
        }
      } else {
        this.#confirmed.delete(key);
      }
    }
  }
}
