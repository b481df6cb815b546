import type { Reference } from '@helix/native';
import { ActiveRun, type ResumedRun, type RunOutcome } from './active-run.js';
import { DEFAULT_RUN_CONFIG, parseRunConfig, type RunConfig, type RunConfigInput } from './config.js';
import type { DetectorsFactory } from './detector.js';
import type { PipelineObserver, PipelineState } from './events.js';
import { idleMetrics, type PipelineMetrics } from './metrics.js';
import { runPloidy } from './ploidy.js';
import { validateWaterMarks } from './queue.js';
import type { ResultStore } from './records.js';
import type { RunFolderAccess } from './run-inputs.js';
import type { LiveGenome } from './sample-coverage.js';
import type { SinkOptions } from './sink.js';

/** How often a running run's binned coverage is stored, in seconds. */
const COVERAGE_EVERY_SECONDS = 5;

/** Raised by `start` while a run is going on. */
export class PipelineAlreadyRunningError extends Error {
  override name = 'PipelineAlreadyRunningError';
}

/** Raised by `stop`, `spike` or `updateThresholds` when no run is going on. */
export class PipelineNotRunningError extends Error {
  override name = 'PipelineNotRunningError';
}

/** What the pipeline needs from the process. */
export interface PipelineOptions {
  store: ResultStore;
  observer?: PipelineObserver;
  sinkOptions?: SinkOptions;
  /** How often metrics are published (default 250 ms). */
  metricsIntervalMs?: number;
  /**
   * The least time between two calls of one sample during a run (default: none, each sample is
   * called as soon as a batch of its reads is merged, within a share of the event loop). A run that
   * needs only its final calls (`helix analyze`) sets it long.
   */
  callIntervalMs?: number;
  /** Where batches are analysed (default: detector threads in this process). */
  createDetectors?: DetectorsFactory;
  /** How DIRECTORY runs follow their folders; without it they are refused. */
  folders?: RunFolderAccess;
  /** Where saved aligner indexes go (default: beside the reference, else the user's cache). */
  indexDir?: string;
}

/** A run as the pipeline reports it. */
export interface RunHandle {
  id: string;
  config: RunConfig;
  /** The run's reference genome (for context around calls, e.g. interpretation). */
  reference: Reference;
}

/**
 * The orchestrator: one run at a time, states IDLE → RUNNING ⇄ THROTTLED → STOPPING → IDLE.
 * Knows nothing of GraphQL or Prisma; results go to a {@link ResultStore}, news to a
 * {@link PipelineObserver}.
 */
export class Pipeline {
  readonly #options: PipelineOptions;
  readonly #observer: PipelineObserver;
  #state: PipelineState = 'IDLE';
  #run: ActiveRun | undefined;
  #lastMetrics: PipelineMetrics = idleMetrics({
    highWater: DEFAULT_RUN_CONFIG.highWater,
    lowWater: DEFAULT_RUN_CONFIG.lowWater,
  });
  #ticker: NodeJS.Timeout | undefined;
  #stopping: Promise<RunOutcome> | undefined;
  #lastOutcome: RunOutcome | undefined;
  /** Waiting for the run to end ({@link whenRunEnds}): told its outcome, or why ending it failed. */
  #ended: { resolve: (outcome: RunOutcome) => void; reject: (error: unknown) => void }[] = [];

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#observer = options.observer ?? {};
  }

  get state(): PipelineState {
    return this.#state;
  }

  /** The run going on, if any. */
  get run(): RunHandle | undefined {
    return this.#run && { id: this.#run.runId, config: this.#run.config, reference: this.#run.reference };
  }

  /** The genome of run `runId` as the pipeline holds it, while that run goes on here. */
  liveGenome(runId: string): LiveGenome | undefined {
    return this.#run?.runId === runId ? this.#run.genome : undefined;
  }

  /** How the last run ended. */
  get lastOutcome(): RunOutcome | undefined {
    return this.#lastOutcome;
  }

  /** Live metrics of the current run, or the last snapshot when idle. */
  metrics(): PipelineMetrics {
    if (this.#run) this.#lastMetrics = this.#run.metrics();
    return this.#lastMetrics;
  }

  /** Starts a run. Throws {@link PipelineAlreadyRunningError} or an invalid-config error naming the field. */
  async start(input: RunConfigInput): Promise<RunHandle> {
    if (this.#state !== 'IDLE') throw new PipelineAlreadyRunningError('A run is already going on; stop it first.');
    return this.#begin(parseRunConfig(input), undefined);
  }

  /**
   * Takes up a DIRECTORY run stopped by a restart, under its own id: the files it took are
   * skipped, the reads of those DONE are counted again as they were.
   */
  async resume(input: RunConfigInput, resumed: ResumedRun): Promise<RunHandle> {
    if (this.#state !== 'IDLE') throw new PipelineAlreadyRunningError('A run is already going on; stop it first.');
    return this.#begin(parseRunConfig(input), resumed);
  }

  async #begin(parsed: RunConfig, resumed: ResumedRun | undefined): Promise<RunHandle> {
    this.#setState('RUNNING', undefined);
    let run: ActiveRun;
    let config = parsed;
    try {
      // The run stores the ploidy its calls assumed, also when the reference chose it.
      config = { ...parsed, ploidy: await runPloidy(parsed) };
      run = await ActiveRun.start(
        config,
        {
          store: this.#options.store,
          observer: this.#observer,
          ...(this.#options.sinkOptions && { sinkOptions: this.#options.sinkOptions }),
          ...(this.#options.createDetectors && { createDetectors: this.#options.createDetectors }),
          ...(this.#options.folders && { folders: this.#options.folders }),
          ...(this.#options.indexDir !== undefined && { indexDir: this.#options.indexDir }),
          ...(this.#options.callIntervalMs !== undefined && { callIntervalMs: this.#options.callIntervalMs }),
          onThrottleChange: (throttled) => {
            if (this.#state !== 'STOPPING') this.#setState(throttled ? 'THROTTLED' : 'RUNNING', run.runId);
          },
        },
        resumed,
      );
    } catch (error) {
      this.#setState('IDLE', undefined);
      throw error;
    }
    this.#run = run;
    this.#setState('RUNNING', run.runId);
    this.#startTicking(run);
    void run.finished.then(() => {
      if (this.#run === run && !this.#stopping) void this.stop(true).catch(() => undefined);
    });
    return { id: run.runId, config, reference: run.reference };
  }

  /** Stops the run; with `drain`, everything taken is analysed and stored first. */
  stop(drain = true): Promise<RunOutcome> {
    return this.#end(drain, false);
  }

  /**
   * Stops the run for a shutdown: everything taken is analysed and stored, and a DIRECTORY run
   * whose folder has not ended stays RUNNING, so the next start resumes it ({@link resume}).
   */
  suspend(): Promise<RunOutcome> {
    return this.#end(true, this.#run?.config.source === 'DIRECTORY');
  }

  async #end(drain: boolean, suspend: boolean): Promise<RunOutcome> {
    if (this.#stopping) return this.#stopping;
    const run = this.#run;
    if (!run) throw new PipelineNotRunningError('No run is going on.');
    this.#setState('STOPPING', run.runId);
    this.#stopping = run.stop(drain, suspend).finally(() => {
      clearInterval(this.#ticker);
      this.#lastMetrics = run.metrics();
      this.#observer.metrics?.(this.#lastMetrics);
      this.#run = undefined;
      this.#stopping = undefined;
      this.#setState('IDLE', run.runId);
    });
    let outcome: RunOutcome;
    try {
      outcome = await this.#stopping;
    } catch (error) {
      // A run whose end failed (its last calls or totals not stored) still ends: whoever waits
      // for it hears why, rather than waiting for ever.
      for (const { reject } of this.#ended.splice(0)) reject(error);
      throw error;
    }
    this.#lastOutcome = outcome;
    for (const { resolve } of this.#ended.splice(0)) resolve(outcome);
    return outcome;
  }

  /**
   * Resolves when the current run ends, by a stop or because its input was consumed; rejects when
   * ending it failed (e.g. its final calls could not be stored).
   */
  whenRunEnds(): Promise<RunOutcome> {
    if (!this.#run && this.#lastOutcome) return Promise.resolve(this.#lastOutcome);
    return new Promise((resolve, reject) => this.#ended.push({ resolve, reject }));
  }

  /** Multiplies the producer's target rate for a while, to show the throttle engage and release. */
  spike(multiplier: number, durationSeconds: number): void {
    if (!this.#run || this.#state === 'STOPPING') throw new PipelineNotRunningError('No run is going on.');
    if (!(multiplier >= 1 && multiplier <= 1_000)) throw new RangeError('multiplier must be between 1 and 1000');
    if (!(durationSeconds > 0 && durationSeconds <= 3_600)) {
      throw new RangeError('durationSeconds must be between 0 and 3600');
    }
    this.#run.spike(multiplier, durationSeconds);
  }

  /** Changes the water marks of the current run at once. */
  updateThresholds(highWater: number, lowWater: number): { highWater: number; lowWater: number } {
    validateWaterMarks({ highWater, lowWater });
    if (!this.#run) throw new PipelineNotRunningError('No run is going on.');
    this.#run.setMarks(highWater, lowWater);
    return this.#run.marks;
  }

  /** Stops any run (without drain) and releases resources. */
  async close(): Promise<void> {
    if (this.#run) await this.stop(false);
  }

  #setState(state: PipelineState, runId: string | undefined): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#observer.status?.({ state, runId, at: new Date() });
  }

  #startTicking(run: ActiveRun): void {
    const interval = this.#options.metricsIntervalMs ?? 250;
    const sampleEvery = Math.max(1, Math.round(1_000 / interval));
    // Binned coverage is tens of kilobytes a sample: stored every few seconds, and at the run's end.
    const coverageEvery = sampleEvery * COVERAGE_EVERY_SECONDS;
    let tick = 0;
    this.#ticker = setInterval(() => {
      tick += 1;
      const metrics = run.metrics();
      this.#lastMetrics = metrics;
      this.#observer.metrics?.(metrics);
      if (tick % sampleEvery === 0) {
        run.sink.addMetricSample({
          runId: run.runId,
          at: new Date(Math.floor(Date.now() / 1_000) * 1_000),
          ingestionRate: metrics.ingestionRate,
          processingRate: metrics.processingRate,
          queueDepth: metrics.queueDepth,
          inFlight: metrics.inFlight,
          throttled: metrics.throttled,
          sinkLag: metrics.sinkLag,
          readsProduced: metrics.readsProduced,
          readsAnalysed: metrics.readsAnalysed,
          latencyP50Ms: metrics.latencyP50Ms,
          latencyP99Ms: metrics.latencyP99Ms,
        });
        this.#options.store.updateRun(run.runId, run.totals()).catch(() => undefined);
        this.#options.store.upsertSamples(run.refreshSamples()).catch(() => undefined);
      }
      if (tick % coverageEvery === 0 && this.#options.store.upsertSampleCoverage) {
        this.#options.store.upsertSampleCoverage(run.refreshCoverage()).catch(() => undefined);
      }
    }, interval);
  }
}
