/**
 * The interpretation service: takes confirmed variants from the pipeline (never making it wait),
 * raises the "mutation detected" alarm, and composes the parts that interpret them — the rules
 * writer, the model worker when a Groq key is configured, and the sweep that brings back what is
 * still pending in the database, also after a restart.
 */
import type pg from 'pg';
import type { Config } from '../env.js';
import type { Logger } from '../logger.js';
import type { MutationDetected, PipelineObserver, PipelineStatusChange } from '../pipeline/events.js';
import { logMutationDetected } from './alarm.js';
import { InterpretationRefresh } from './interpretation-refresh.js';
import { InterpretationStore, siteKey } from './interpretation-store.js';
import { InterpretationListeners, type VariantInterpreted } from './interpreted-event.js';
import type { InterpretationMetrics } from './metrics.js';
import { ModelWorker, NO_MODEL_METRICS } from './model-worker.js';
import { PendingCount } from './pending-count.js';
import { PendingSweep } from './pending-sweep.js';
import { type ReferenceContextSource, RunReferenceContext } from './reference-context.js';
import type { InterpretableVariant } from './rules.js';
import { RulesWriter } from './rules-writer.js';
import { DEFAULT_TUNING, type InterpretationTuning } from './tuning.js';
import { WriteWarning } from './write-warning.js';

export type { ModelInterpretation, VariantInterpreted } from './interpreted-event.js';
export { DEFAULT_TUNING, type InterpretationTuning } from './tuning.js';

/** What {@link createInterpretationService} needs. */
export interface InterpretationServiceOptions {
  /** The database holding `variants` (and `runs`, for rebuilding references). */
  pool: pg.Pool;
  logger: Logger;
  /** `config.groq` turns the model on; without it only the rules run. */
  config: Pick<Config, 'groq'>;
  /** Where reference bases come from (default: a {@link RunReferenceContext} over `pool`). */
  referenceContext?: ReferenceContextSource;
  /** Log the `mutation detected` alarm line for each confirmed variant (default true). */
  logAlarm?: boolean;
  tuning?: Partial<InterpretationTuning>;
}

/** The running service. */
export interface InterpretationService {
  /**
   * Plug into the pipeline's observer: `mutationDetected` returns at once (log line + O(1) enqueue);
   * `status` follows runs, whose moved calls get their interpretations rewritten, at their end too.
   */
  observer: Required<Pick<PipelineObserver, 'mutationDetected' | 'status'>>;
  /** The reference source in use (a {@link RunReferenceContext} unless one was given). */
  referenceContext: ReferenceContextSource;
  /** The model's name, or undefined when only the rules run. */
  model: string | undefined;
  /** Picks up pending variants now and every `sweepIntervalMs`; starts the model worker. */
  start(): Promise<void>;
  /** Stops sweeping and the model worker (aborting its request), writes queued rules, and returns. */
  stop(): Promise<void>;
  /** Rewrites now the interpretations of running runs whose call moved (see {@link InterpretationRefresh}). */
  refresh(): Promise<void>;
  /** Looks for pending variants in the database now. */
  sweep(): Promise<void>;
  metrics(): InterpretationMetrics;
  /** Calls `listener` for every interpretation stored; returns the unsubscribe function. */
  onInterpreted(listener: (event: VariantInterpreted) => void): () => void;
}

const toInterpretable = (variant: MutationDetected): InterpretableVariant => ({
  runId: variant.runId,
  contig: variant.contig,
  position: variant.position,
  ref: variant.ref,
  alt: variant.alt,
  type: variant.type,
  genotype: variant.genotype,
  depth: variant.depth,
  altCount: variant.altCount,
  alleleFrequency: variant.alleleFrequency,
  quality: variant.quality,
  forwardRefCount: variant.forwardRefCount,
  reverseRefCount: variant.reverseRefCount,
  forwardAltCount: variant.forwardAltCount,
  reverseAltCount: variant.reverseAltCount,
  strandBias: variant.strandBias,
  filters: variant.filters,
  effects: variant.effects,
});

class Service implements InterpretationService {
  readonly observer: InterpretationService['observer'];
  readonly referenceContext: ReferenceContextSource;
  readonly model: string | undefined;
  readonly #logger: Logger;
  readonly #alarmLogger: Logger | undefined;
  readonly #pending = new PendingCount();
  readonly #listeners: InterpretationListeners;
  readonly #rules: RulesWriter;
  readonly #modelWorker: ModelWorker | undefined;
  readonly #sweep: PendingSweep;
  readonly #refresh: InterpretationRefresh;
  #started = false;
  #stopped = false;

  constructor(options: InterpretationServiceOptions) {
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.#alarmLogger = options.logAlarm === false ? undefined : options.logger;
    const logger = options.logger.child({ component: 'interpret' });
    this.#logger = logger;
    this.#listeners = new InterpretationListeners(logger);
    // What every part works with: one store, one reference source, one pending count.
    const shared = {
      store: new InterpretationStore(options.pool),
      referenceContext: options.referenceContext ?? new RunReferenceContext({ pool: options.pool, logger }),
      listeners: this.#listeners,
      pending: this.#pending,
      warning: new WriteWarning(logger),
    };
    this.referenceContext = shared.referenceContext;
    const groq = options.config.groq;
    const model = groq ? new ModelWorker({ ...shared, groq, logger, tuning }) : undefined;
    this.#modelWorker = model;
    this.model = model?.model;
    this.#rules = new RulesWriter({
      ...shared,
      capacity: tuning.queueCapacity,
      flushMs: tuning.rulesFlushMs,
      handOff: model && ((id, variant) => model.offer(id, variant)),
    });
    this.#refresh = new InterpretationRefresh({
      ...shared,
      logger,
      intervalMs: tuning.refreshIntervalMs,
      modelReasksPerRun: tuning.modelReasksPerRun,
      handOff: model && ((id, variant) => model.offer(id, variant)),
    });
    this.#sweep = new PendingSweep({
      ...shared,
      rules: this.#rules,
      model,
      intervalMs: tuning.sweepIntervalMs,
      limit: tuning.sweepLimit,
    });
    this.observer = {
      mutationDetected: (variant) => this.#onMutationDetected(variant),
      status: (change) => this.#onStatus(change),
    };
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#logger.info(
      this.model ? { model: this.model } : {},
      this.model ? 'interpreting variants by rules and model' : 'interpreting variants by rules (no GROQ_API_KEY)',
    );
    await this.#sweep.start();
    this.#modelWorker?.start();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // First, so that what it takes back to the model is in the model's queue before that stops.
    await this.#refresh.stop();
    const swept = this.#sweep.stop();
    await this.#modelWorker?.stop();
    await swept;
    // Last, so that what the sweep under way queued is written too.
    await this.#rules.stop();
  }

  metrics(): InterpretationMetrics {
    const model = this.#modelWorker;
    return {
      model: this.model ?? null,
      interpretedByRules: this.#rules.interpreted,
      refreshedByRules: this.#refresh.rewritten,
      modelReasks: this.#refresh.reasked,
      modelReasksRefused: this.#refresh.reasksRefused,
      pending: this.#pending.value,
      queued: this.#rules.queued + (model?.queued ?? 0),
      overflowed: this.#rules.overflowed + (model?.overflowed ?? 0),
      ...(model ? model.metrics() : NO_MODEL_METRICS),
    };
  }

  onInterpreted(listener: (event: VariantInterpreted) => void): () => void {
    return this.#listeners.add(listener);
  }

  sweep(): Promise<void> {
    return this.#sweep.sweep();
  }

  refresh(): Promise<void> {
    return this.#refresh.refresh();
  }

  /** A run going on is followed; a run at its end (its final calls stored) is refreshed once more. */
  #onStatus(change: PipelineStatusChange): void {
    if (this.#stopped || change.runId === undefined) return;
    if (change.state === 'IDLE') void this.#refresh.ended(change.runId);
    else if (change.state !== 'STOPPING') this.#refresh.follow(change.runId);
  }

  /** The pipeline's side: must return at once. */
  #onMutationDetected(variant: MutationDetected): void {
    if (this.#alarmLogger) logMutationDetected(this.#alarmLogger, variant);
    if (this.#stopped) return;
    this.#refresh.follow(variant.runId);
    const interpretable = toInterpretable(variant);
    // A call confirmed again after falling back to candidate is announced again: while the first
    // announcement still waits, the variant is pending once, not twice.
    const key = siteKey(interpretable);
    if (!this.#rules.holds(key) && !this.#modelWorker?.holds(key)) this.#pending.detected();
    this.#rules.offer(interpretable, 'announced');
  }
}

/**
 * Creates the interpretation service. Wire `observer.mutationDetected` into the pipeline's
 * observer, call `start()` once the database is open, and `stop()` before closing it.
 */
export function createInterpretationService(options: InterpretationServiceOptions): InterpretationService {
  return new Service(options);
}
