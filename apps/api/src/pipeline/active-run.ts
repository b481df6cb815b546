import type { AlignerIndex, DepthSummary, Reference, VariantCall } from '@helix/native';
import { Pileup, VariantCaller } from '@helix/native';
import { SiteAnnotator } from '../annotate/site-annotator.js';
import type { RunConfig } from './config.js';
import {
  analysisRecord,
  type BatchDetectors,
  BatchDiscardedError,
  type DetectionResult,
  detectorThreads,
} from './detector.js';
import { recordFailedStart } from './failed-start.js';
import { LatencyWindow, type PipelineMetrics, RateMeter } from './metrics.js';
import { BoundedQueue } from './queue.js';
import type { RunReadSource, TakenBatch } from './read-source.js';
import type { RunStatusKind, RunTotals, SampleRecord } from './records.js';
import { acquireRunInputs, type RunInputs } from './run-inputs.js';
import { RunLedger } from './run-ledger.js';
import type { ResumedRun, RunOutcome, RunServices } from './run-services.js';
import { runSampleName } from './sample-name.js';
import { BatchedSink } from './sink.js';
import { VariantPublisher } from './variant-publisher.js';

export type { ResumedRun, RunOutcome, RunServices } from './run-services.js';

/** A batch waiting in the queue, stamped for end-to-end latency. */
interface QueuedBatch extends TakenBatch {
  enqueuedAt: number;
}

/**
 * One run of the pipeline: pulls batches from the producer into the bounded queue, hands them to
 * the detectors, accumulates their evidence in a pileup, calls variants, and feeds the sink.
 * Backpressure: above high-water (queue plus sink lag) it stops pulling and pauses the producer;
 * below low-water it resumes. Its {@link RunLedger} keeps the count of every read taken.
 */
export class ActiveRun {
  readonly runId: string;
  readonly config: RunConfig;
  readonly reference: Reference;
  /** The run's one sample (its VCF column). */
  readonly sampleName: string;
  readonly #inputs: RunInputs;
  readonly #reads: RunReadSource;
  readonly #detectors: BatchDetectors;
  readonly #services: RunServices;
  readonly #queue: BoundedQueue<QueuedBatch>;
  readonly #ledger = new RunLedger();
  readonly #pileup: Pileup;
  readonly #caller: VariantCaller;
  readonly #variants: VariantPublisher;
  readonly sink: BatchedSink;
  readonly #ingestion = new RateMeter();
  readonly #processing = new RateMeter();
  readonly #latency = new LatencyWindow();
  /** Depth and breadth as last summed up ({@link refreshSample}). */
  #depth: DepthSummary;
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
    this.sampleName = runSampleName(config);
    this.#depth = { positions: inputs.reference.totalLength, meanDepth: 0, breadth1x: 0, breadth10x: 0 };
    this.#inputs = inputs;
    this.#detectors = inputs.detectors;
    this.#services = services;
    this.#reads = inputs.openReads({
      runId,
      store: services.store,
      warning: (message, detail) => services.observer.warning?.(message, detail),
    });
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
          this.#reads.pause();
          services.onThrottleChange(true);
        },
        resume: () => {
          this.#reads.resume();
          services.onThrottleChange(false);
          this.#resumeWaiter?.();
        },
      },
    );
    this.#pileup = new Pileup(inputs.index);
    this.#caller = new VariantCaller({
      minDepth: config.minDepth,
      minAlleleFrequency: config.minAlleleFrequency,
      minQuality: config.minQuality,
    });
    this.#variants = new VariantPublisher(
      runId,
      {
        addVariants: (records) => this.sink.addVariants(records),
        confirmed: (record) => services.observer.mutationDetected?.(record),
      },
      SiteAnnotator.forRun(runId, inputs.annotation, (message, detail) => services.observer.warning?.(message, detail)),
    );
  }

  /**
   * Acquires the run's inputs, creates the Run row (or, resuming, takes up the stored one), and
   * starts pulling batches.
   */
  static async start(config: RunConfig, services: RunServices, resumed?: ResumedRun): Promise<ActiveRun> {
    const warning = (message: string, detail?: Record<string, unknown>) => services.observer.warning?.(message, detail);
    let runId = resumed?.runId;
    let run: ActiveRun | undefined;
    let inputs: RunInputs | undefined;
    try {
      const openDetectors = async (reference: Reference, index: AlignerIndex) => {
        const contigs = reference.contigs;
        const createdId =
          resumed?.runId ??
          (await services.store.createRun({
            source: config.source,
            config: { ...config },
            referenceName: contigs.length === 1 ? (contigs[0]?.name ?? 'reference') : `${contigs.length} contigs`,
            referenceLength: reference.totalLength,
            contigs: contigs.map(({ name, length }) => ({ name, length })),
          }));
        runId = createdId;
        return (services.createDetectors ?? detectorThreads)({
          runId: createdId,
          config,
          reference,
          index,
          // Before the run exists there is no throttle to tell; its first look comes with its first batch.
          onBacklogChange: () => {
            if (run) run.#updatePressure();
          },
          warning,
        });
      };
      inputs = await acquireRunInputs(config, openDetectors, services.folders, resumed);
      run = new ActiveRun(runId as string, config, inputs, services);
      if (resumed) run.#ledger.carriedOver(resumed.readsCounted);
    } catch (error) {
      const counted = resumed && {
        readsProduced: resumed.readsCounted,
        readsAnalysed: resumed.readsCounted,
        batchesAnalysed: 0,
        variantsConfirmed: 0,
      };
      if (runId !== undefined) await recordFailedStart(services.store, runId, error, warning, counted);
      await inputs?.release();
      throw error;
    }
    run.#ingesting = run.#ingest();
    return run;
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
    this.#reads.setRate(Math.round(this.config.readsPerSecond * multiplier));
    this.#spikeTimer = setTimeout(() => this.#reads.setRate(this.config.readsPerSecond), seconds * 1_000);
    this.#spikeTimer.unref();
  }

  totals(): RunTotals {
    const reads = this.#ledger.reads;
    return {
      readsProduced: reads.produced,
      readsAnalysed: reads.analysed,
      batchesAnalysed: this.#ledger.batches.analysed,
      variantsConfirmed: this.#variants.confirmed,
    };
  }

  metrics(): PipelineMetrics {
    const now = performance.now();
    const reads = this.#ledger.reads;
    const batches = this.#ledger.batches;
    return {
      at: new Date(),
      ingestionRate: this.#ingestion.rate(now),
      processingRate: this.#processing.rate(now),
      queueDepth: this.#queue.length + this.#detectors.queued,
      inFlight: this.#detectors.inFlight - this.#detectors.queued,
      throttled: this.#queue.throttled,
      throttleEvents: this.#queue.throttleEvents,
      highWater: this.#queue.marks.highWater,
      lowWater: this.#queue.marks.lowWater,
      readsProduced: reads.produced,
      readsAnalysed: reads.analysed,
      readsQueued: reads.queued,
      readsInFlight: reads.inFlight,
      readsDiscarded: reads.discarded,
      batchesProduced: batches.produced,
      batchesAnalysed: batches.analysed,
      sinkLag: this.sink.lag,
      latencyP50Ms: this.#latency.percentile(50),
      latencyP99Ms: this.#latency.percentile(99),
      variantsConfirmed: this.#variants.confirmed,
      mappedReads: this.#ledger.mappedReads,
      meanDepth: this.#depth.meanDepth,
      breadth1x: this.#depth.breadth1x,
      breadth10x: this.#depth.breadth10x,
      ...this.#reads.waiting,
    };
  }

  /** Sums up depth and breadth afresh (one pass over the reference) and returns the sample's figures. */
  refreshSample(): SampleRecord {
    this.#depth = this.#pileup.depthSummary();
    return {
      runId: this.runId,
      name: this.sampleName,
      readsAnalysed: this.#ledger.reads.analysed,
      mappedReads: this.#ledger.mappedReads,
      properlyPairedReads: this.#ledger.properlyPairedReads,
      meanDepth: this.#depth.meanDepth,
      breadth1x: this.#depth.breadth1x,
      breadth10x: this.#depth.breadth10x,
      variantsConfirmed: this.#variants.confirmed,
      at: new Date(),
    };
  }

  /** Calls variants that are new or changed since the last call and hands them to the sink. */
  callVariants(): void {
    this.#variants.publish(this.#caller.update(this.#pileup));
  }

  /** Every call of the run as it stands (for the final write and the VCF). */
  allCalls(): VariantCall[] {
    return this.#caller.callAll(this.#pileup);
  }

  /**
   * Stops taking batches. With `drain`, everything taken is analysed first; without, queued
   * batches are discarded (counted) and only those already in a detector finish. With `suspend`
   * (a DIRECTORY run at shutdown), a run whose input has not ended stays RUNNING, to be resumed.
   */
  async stop(drain: boolean, suspend = false): Promise<RunOutcome> {
    this.#stopping = true;
    this.#reads.close();
    this.#resumeWaiter?.();
    clearTimeout(this.#spikeTimer);
    await this.#ingesting;
    if (!drain) {
      for (const queued of this.#queue.clear()) {
        this.#ledger.withdrawn(queued.batch.reads, 'queued');
        this.#reads.settled(queued, false);
      }
      await this.#detectors
        .discardQueued?.()
        .catch((error: Error) =>
          this.#services.observer.warning?.('queued batches could not be withdrawn', { reason: error.message }),
        );
    }
    await this.#idle();
    if (this.#failure) return this.#conclude('FAILED');
    if (drain && this.#inputEnded) return this.#conclude('COMPLETED');
    return this.#conclude(suspend ? 'RUNNING' : 'STOPPED');
  }

  async #conclude(status: RunStatusKind): Promise<RunOutcome> {
    const calls = this.allCalls();
    this.#variants.publish(calls);
    await this.sink.drain();
    await this.#reads.flushed();
    const totals = this.totals();
    const samples = [this.refreshSample()];
    await this.#services.store.upsertSamples(samples);
    if (status === 'RUNNING') await this.#services.store.updateRun(this.runId, totals);
    else await this.#services.store.finishRun(this.runId, status, totals, this.#failure);
    this.sink.close();
    await this.#inputs.release();
    return {
      runId: this.runId,
      status,
      totals,
      batchesDiscarded: this.#ledger.batches.discarded,
      error: this.#failure,
      ambiguousReads: this.#ledger.ambiguousReads,
      calls,
      contigs: this.reference.contigs,
      samples,
    };
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
        const taken = await this.#reads.next();
        if (!taken) {
          this.#inputEnded = !this.#stopping;
          break;
        }
        this.#ledger.taken(taken.batch);
        this.#ingestion.record(taken.batch.reads);
        this.#queue.push({ ...taken, enqueuedAt: performance.now() });
        this.#dispatch();
      }
    } catch (error) {
      this.#failure = (error as Error).message;
      this.#services.observer.warning?.('read source failed', { reason: this.#failure });
    }
    this.#checkFinished();
  }

  #dispatch(): void {
    while (this.#detectors.hasIdleWorker && this.#queue.length > 0) {
      const item = this.#queue.shift() as QueuedBatch;
      const { batch } = item;
      this.#ledger.dispatched(batch.reads);
      const { sequence, reads, bases, qualities, offsets, paired } = batch;
      this.#detectors.analyse({ sequence, reads, bases, qualities, offsets, paired }).then(
        (result) => this.#onAnalysed(item, result),
        (error: Error) => this.#onFailed(item, error),
      );
    }
  }

  #onAnalysed(item: QueuedBatch, result: DetectionResult): void {
    const { batch, enqueuedAt } = item;
    this.#pileup.add(result.evidence);
    this.#ledger.analysed(batch.reads, result.mappedReads, result.properlyPairedReads);
    this.#reads.settled(item, true);
    this.#processing.record(batch.reads);
    this.#latency.observe(performance.now() - enqueuedAt);
    if (!result.stored) this.sink.addAnalysis(analysisRecord(this.runId, batch.sequence, result));
    this.#updatePressure();
    this.#dispatch();
    this.#checkFinished();
  }

  /** Pressure beyond the queue: analyses not yet stored, and batches waiting at remote detectors. */
  #updatePressure(): void {
    this.#queue.setExternalLag(this.sink.pendingAnalyses + this.#detectors.backlog);
  }

  #onFailed(item: QueuedBatch, error: Error): void {
    const { batch } = item;
    this.#reads.settled(item, false);
    if (error instanceof BatchDiscardedError) {
      this.#ledger.withdrawn(batch.reads, 'inFlight');
      this.#checkFinished();
      return;
    }
    // A batch the detector rejects (malformed reads) fails the run: silently skipping it would
    // break `produced = analysed`.
    this.#ledger.rejected(batch.reads);
    this.#failure ??= `batch ${batch.sequence}: ${error.message}`;
    this.#stopping = true;
    this.#reads.close();
    this.#checkFinished();
  }

  #checkFinished(): void {
    if (this.#ledger.busy || (this.#queue.length > 0 && !this.#failure)) return;
    this.#idleWaiter?.();
    if (this.#inputEnded || this.#failure) this.#finish();
  }

  #idle(): Promise<void> {
    if (!this.#ledger.busy && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idleWaiter = () => {
        if (!this.#ledger.busy && this.#queue.length === 0) resolve();
      };
    });
  }
}
