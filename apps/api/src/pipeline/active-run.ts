import type { Reference, VariantCall } from '@helix/native';
import { SiteAnnotator } from '../annotate/site-annotator.js';
import { CallScheduler, DEFAULT_CALL_SHARE } from './call-scheduler.js';
import type { RunConfig } from './config.js';
import { analysisRecord, type BatchDetectors, BatchDiscardedError, type DetectionResult } from './detector.js';
import { replayDoneFiles } from './file-replay.js';
import type { PipelineMetrics } from './metrics.js';
import type { BoundedQueue } from './queue.js';
import type { RunReadSource } from './read-source.js';
import type { RunStatusKind, RunTotals, SampleCoverageRecord, SampleRecord } from './records.js';
import { type QueuedBatch, RunIngest } from './run-ingest.js';
import type { RunInputs } from './run-inputs.js';
import { RunLedger } from './run-ledger.js';
import { openRun } from './run-opening.js';
import { RunSamples } from './run-samples.js';
import type { ResumedRun, RunOutcome, RunServices, SampleCallSet } from './run-services.js';
import type { SampleProgress } from './sample-calls.js';
import type { LiveGenome } from './sample-coverage.js';
import { BatchedSink } from './sink.js';
import { removeStaleCandidates, VariantPublisher } from './variant-publisher.js';

/** Calls published at once, the sink drained between two such slices (a few sink writes' worth). */
const CALLS_PER_PUBLISH = 2_000;

export type { ResumedRun, RunOutcome, RunServices, SampleCallSet } from './run-services.js';

/**
 * One run of the pipeline: pulls batches from the producer into the bounded queue, hands them to
 * the detectors ({@link RunIngest}), accumulates their evidence in each sample's pileup, calls a
 * sample's variants as soon as a batch of it is merged ({@link CallScheduler}), and feeds the sink.
 * Backpressure: above high-water (queue plus sink lag) it stops pulling and pauses the producer;
 * below low-water it resumes. Its {@link RunLedger} keeps the count of every read taken.
 */
export class ActiveRun {
  readonly runId: string;
  readonly config: RunConfig;
  readonly reference: Reference;
  readonly #inputs: RunInputs;
  readonly #reads: RunReadSource;
  readonly #detectors: BatchDetectors;
  readonly #services: RunServices;
  readonly #queue: BoundedQueue<QueuedBatch>;
  readonly #ingest: RunIngest;
  readonly #calls: CallScheduler;
  readonly #ledger = new RunLedger();
  /** Each sample's pileup and calls, by the read source's sample index. */
  readonly #samples: RunSamples;
  readonly #variants: VariantPublisher;
  readonly sink: BatchedSink;
  #inputEnded = false;
  #failure: string | undefined;
  #idleWaiter: (() => void) | undefined;
  #spikeTimer: NodeJS.Timeout | undefined;
  #ingesting: Promise<void> = Promise.resolve();
  /** Resolves when the input is exhausted and everything taken has been analysed. */
  readonly finished: Promise<void>;
  #finish!: () => void;

  private constructor(
    runId: string,
    config: RunConfig,
    inputs: RunInputs,
    services: RunServices,
    announced: readonly string[],
  ) {
    this.runId = runId;
    this.config = config;
    this.reference = inputs.reference;
    this.#inputs = inputs;
    this.#detectors = inputs.detectors;
    this.#services = services;
    this.#reads = inputs.openReads({
      runId,
      store: services.store,
      warning: (message, detail) => services.observer.warning?.(message, detail),
      endingStored: () => this.#updatePressure(),
    });
    this.#samples = new RunSamples({
      index: inputs.index,
      referenceLength: inputs.reference.totalLength,
      config,
      nameOf: (index) => this.#reads.samples[index],
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
    const marks = { highWater: config.highWater, lowWater: config.lowWater };
    this.#ingest = new RunIngest(this.#reads, this.#detectors, marks, {
      throttleChanged: (throttled) => services.onThrottleChange(throttled),
      taken: (batch) => this.#ledger.taken(batch),
      dispatched: (batch) => this.#ledger.dispatched(batch.reads),
      analysed: (item, result) => this.#onAnalysed(item, result),
      failed: (item, error) => this.#onFailed(item, error),
    });
    this.#queue = this.#ingest.queue;
    this.#calls = new CallScheduler((sample) => this.#callSample(sample), {
      minIntervalMs: services.callIntervalMs ?? 0,
      share: DEFAULT_CALL_SHARE,
    });
    this.#variants = new VariantPublisher(
      runId,
      {
        addVariants: (records) => this.sink.addVariants(records),
        confirmed: (record) => services.observer.mutationDetected?.(record),
      },
      SiteAnnotator.forRun(runId, inputs.annotation, (message, detail) => services.observer.warning?.(message, detail)),
      announced,
    );
  }

  /**
   * Acquires the run's inputs, creates the Run row (or, resuming, takes up the stored one), and
   * starts pulling batches.
   */
  static async start(config: RunConfig, services: RunServices, resumed?: ResumedRun): Promise<ActiveRun> {
    let run: ActiveRun | undefined;
    const opened = await openRun(config, services, resumed, {
      // Before the run exists there is no throttle to tell; its first look comes with its first batch.
      backlogChanged: () => {
        if (run) run.#updatePressure();
      },
      build: (runId, inputs) => {
        run = new ActiveRun(runId, config, inputs, services, resumed?.announced ?? []);
        if (resumed) {
          run.#ledger.carriedOver(resumed.readsCounted, resumed.batchesCounted);
          run.#samples.carryOver(resumed.readsCountedBySample);
        }
        return run;
      },
    });
    opened.#ingesting = opened.#replay(resumed).then(() => opened.#ingestAll());
    return opened;
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
      ingestionRate: this.#ingest.ingestion.rate(now),
      processingRate: this.#ingest.processing.rate(now),
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
      latencyP50Ms: this.#ingest.latency.percentile(50),
      latencyP99Ms: this.#ingest.latency.percentile(99),
      variantsConfirmed: this.#variants.confirmed,
      mappedReads: this.#ledger.mappedReads,
      properlyPairedReads: this.#ledger.properlyPairedReads,
      ...this.#samples.depth(),
      ...this.#reads.waiting,
    };
  }

  /**
   * Sums up each sample's depth and breadth afresh (one pass over the reference each) and returns
   * the figures of every sample met so far, in first-seen order.
   */
  refreshSamples(): SampleRecord[] {
    return this.#samples.records(this.runId, (sample) => this.#variants.confirmedOf(sample));
  }

  /** Each sample's coverage at its stored bins, with its stretches below the run's minimum depth. */
  refreshCoverage(): SampleCoverageRecord[] {
    return this.#samples.coverage(this.runId, this.reference.contigs, this.config.minDepth);
  }

  /** The run's reference, genes and samples' pileups, for views of its genome while it goes on. */
  get genome(): LiveGenome {
    return {
      runId: this.runId,
      reference: this.reference,
      annotation: this.#inputs.annotation,
      minDepth: this.config.minDepth,
      sample: (name) => this.#samples.named(name),
    };
  }

  /** Calls the variants of the sample at `index` that are new or changed since its last call, and publishes them. */
  async #callSample(index: number): Promise<void> {
    const sample = this.#samples.at(index);
    const calls = await sample.update();
    // Batches may have landed while the call ran: its alarms carry the progress as it settled, which
    // counts every read the call may have seen.
    await this.#publishInSlices(calls, sample.name, sample.progress);
  }

  /** Every call of every sample as it stands (for the final write and the VCF), in first-seen order. */
  allCalls(): Promise<SampleCallSet[]> {
    return this.#samples.allCalls();
  }

  /**
   * Stops taking batches. With `drain`, everything taken is analysed first; without, queued
   * batches are discarded (counted) and only those already in a detector finish. With `suspend`
   * (a DIRECTORY run at shutdown), a run whose input has not ended stays RUNNING, to be resumed.
   */
  async stop(drain: boolean, suspend = false): Promise<RunOutcome> {
    this.#ingest.stop();
    this.#reads.close();
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
    // A call under way still publishes its alarms before the final calls are made.
    await this.#calls.close();
    // No read is aligned from here on: the mapped index (~4 B/base) leaves resident memory before
    // the final calls take theirs.
    try {
      this.#inputs.index.dropResidentPages();
    } catch (error) {
      // Only memory is at stake: the run's results must still be made and stored.
      this.#services.observer.warning?.('the mapped index stays resident', { reason: (error as Error).message });
    }
    const sampleCalls = await this.allCalls();
    for (const [index, { sample, calls }] of sampleCalls.entries()) {
      await this.#publishInSlices(calls, sample, this.#samples.all[index]?.progress);
    }
    await this.sink.drain();
    await removeStaleCandidates(this.#services.store, this.runId, sampleCalls);
    await this.#reads.flushed();
    const totals = this.totals();
    const samples = this.refreshSamples();
    await this.#services.store.upsertSamples(samples);
    const coverage = this.refreshCoverage();
    await this.#services.store.upsertSampleCoverage?.(coverage);
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
      calls: sampleCalls.flatMap(({ calls }) => calls),
      sampleCalls,
      contigs: this.reference.contigs,
      samples,
      coverage,
    };
  }

  /**
   * Publishes `calls` of `sample` {@link CALLS_PER_PUBLISH} at a time, the sink drained between two
   * slices: a 100 Mbp genome's ~91 k records (with their histories, and the sink's map of them) held
   * at once took 200–300 MiB more than a slice does. Calls that fit one slice are published at once.
   */
  async #publishInSlices(calls: VariantCall[], sample: string, progress: SampleProgress | undefined): Promise<void> {
    for (let from = 0; from < calls.length; from += CALLS_PER_PUBLISH) {
      if (from > 0) await this.sink.drain();
      this.#variants.publish(calls.slice(from, from + CALLS_PER_PUBLISH), sample, progress);
    }
  }

  /** Before new files: a resumed run's warnings, and its DONE files read again into their samples' pileups. */
  async #replay(resumed: ResumedRun | undefined): Promise<void> {
    if (!resumed) return;
    const warning = (message: string, detail?: Record<string, unknown>) =>
      this.#services.observer.warning?.(message, detail);
    for (const { message, detail } of resumed.warnings) warning(message, detail);
    const { batchSize, workers } = this.config;
    await replayDoneFiles(
      resumed.replay,
      { index: this.#inputs.index, batchSize, workers, warning },
      (name, result, arrivedAt) => {
        this.#samples.at(this.#reads.samples.indexOf(name)).replayed(result, arrivedAt);
        this.#ledger.replayed(result.mappedReads, result.properlyPairedReads ?? 0);
      },
    );
  }

  async #ingestAll(): Promise<void> {
    const end = await this.#ingest.run();
    if (end.kind === 'ended') this.#inputEnded = true;
    if (end.kind === 'failed') {
      this.#failure = end.reason;
      this.#services.observer.warning?.('read source failed', { reason: this.#failure });
    }
    this.#checkFinished();
  }

  #onAnalysed(item: QueuedBatch, result: DetectionResult): void {
    const { batch } = item;
    this.#samples.at(item.sample).add(result, item.file?.arrivedAt);
    this.#calls.merged(item.sample);
    this.#ledger.analysed(batch.reads, result.mappedReads, result.properlyPairedReads);
    const analysis = result.stored ? undefined : analysisRecord(this.runId, batch.sequence, result);
    // A DIRECTORY run's rows go with their file's ending, so a file read again after a restart adds none twice.
    if (!this.#reads.settled(item, true, analysis) && analysis) this.sink.addAnalysis(analysis);
    this.#updatePressure();
    this.#ingest.dispatch();
    this.#checkFinished();
  }

  /** Pressure beyond the queue: analyses not yet stored, and batches waiting at remote detectors. */
  #updatePressure(): void {
    this.#queue.setExternalLag(this.sink.pendingAnalyses + this.#reads.rowsUnstored + this.#detectors.backlog);
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
    this.#ingest.stop();
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
