/**
 * The interpretation service: takes confirmed variants from the pipeline (never making it wait),
 * raises the "mutation detected" alarm, stores the rules' interpretation of each, and — when a
 * Groq key is configured — the model's, in rate-limited batches behind a circuit breaker.
 * Variants not interpreted yet stay pending in the database and a periodic sweep picks them up,
 * also after a restart.
 */
import type pg from 'pg';
import type { Config } from '../env.js';
import type { Logger } from '../logger.js';
import type { MutationDetected, PipelineObserver } from '../pipeline/events.js';
import { logMutationDetected } from './alarm.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { GroqInterpreter, type ModelCallOutcome } from './groq.js';
import { InterpretationStore, type SiteKey, siteKey } from './interpretation-store.js';
import { InterpretationCounters, type InterpretationMetrics } from './metrics.js';
import type { ModelEntry, PromptVariant, Significance } from './prompt.js';
import { DEFAULT_RATE_LIMITS, RateLimiter } from './rate-limiter.js';
import { type ReferenceContextSource, RunReferenceContext } from './reference-context.js';
import { type InterpretableVariant, interpretByRules, type RulesInterpretation } from './rules.js';
import { WorkQueue } from './work-queue.js';

/** How the service batches, paces and gives up. Every field has a default. */
export interface InterpretationTuning {
  /** Variants held in memory per queue; more stay pending in the database (default 1,000). */
  queueCapacity: number;
  /** How long confirmed variants gather before their rules' interpretations are written (default 200 ms). */
  rulesFlushMs: number;
  /** Variants per model request (default 16; fewer when the token limit needs it). */
  batchSize: number;
  /** How long a short batch waits for more variants before it goes (default 250 ms). */
  batchLingerMs: number;
  /** How often pending variants are looked for in the database (default 15 s). */
  sweepIntervalMs: number;
  /** Pending variants taken per sweep (default 500). */
  sweepLimit: number;
  /** Invalid model answers for a variant before it is given up (REJECTED, rules kept; default 3). */
  maxAttempts: number;
  /** Client rate limit: requests per minute (default 30, Groq's free tier). */
  requestsPerMinute: number;
  /** Client rate limit: tokens per minute (default 12,000, Groq's free tier for the default model). */
  tokensPerMinute: number;
  /** Consecutive failed requests that open the circuit breaker (default 5). */
  failureThreshold: number;
  /** How long the breaker stays open before a probe (default 30 s). */
  cooldownMs: number;
  /** The SDK's per-attempt timeout (default 20 s). */
  timeoutMs: number;
  /** The SDK's retries on 408/409/429/5xx, timeouts and connection errors (default 2). */
  maxRetries: number;
}

/** Defaults of {@link InterpretationTuning}. */
export const DEFAULT_TUNING: InterpretationTuning = {
  queueCapacity: 1_000,
  rulesFlushMs: 200,
  batchSize: 16,
  batchLingerMs: 250,
  sweepIntervalMs: 15_000,
  sweepLimit: 500,
  maxAttempts: 3,
  requestsPerMinute: DEFAULT_RATE_LIMITS.requestsPerMinute,
  tokensPerMinute: DEFAULT_RATE_LIMITS.tokensPerMinute,
  failureThreshold: 5,
  cooldownMs: 30_000,
  timeoutMs: 20_000,
  maxRetries: 2,
};

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

/** A variant's interpretation as stored, announced to listeners (e.g. a GraphQL subscription). */
export interface VariantInterpreted {
  /** `variants.id` (int8, as text). */
  id: string;
  runId: string;
  contig: string;
  position: number;
  ref: string;
  alt: string;
  /** "rules" or the model's name. */
  source: string;
  interpretation: RulesInterpretation | ModelInterpretation;
}

/** The model's interpretation as stored (`source` = the model's name), with the rules' beside it. */
export interface ModelInterpretation {
  source: string;
  summary: string;
  significance: Significance;
  /** Round trip of the request that carried it (retries included), in milliseconds. */
  latencyMs: number;
  /** Variants in that request. */
  batchSize: number;
  rules: RulesInterpretation;
}

/** The running service. */
export interface InterpretationService {
  /** Plug into the pipeline's observer: `mutationDetected` returns at once (log line + O(1) enqueue). */
  observer: Required<Pick<PipelineObserver, 'mutationDetected'>>;
  /** The reference source in use (a {@link RunReferenceContext} unless one was given). */
  referenceContext: ReferenceContextSource;
  /** The model's name, or undefined when only the rules run. */
  model: string | undefined;
  /** Picks up pending variants now and every `sweepIntervalMs`; starts the model worker. */
  start(): Promise<void>;
  /** Stops sweeping and the model worker (aborting its request), writes queued rules, and returns. */
  stop(): Promise<void>;
  /** Looks for pending variants in the database now. */
  sweep(): Promise<void>;
  metrics(): InterpretationMetrics;
  /** Calls `listener` for every interpretation stored; returns the unsubscribe function. */
  onInterpreted(listener: (event: VariantInterpreted) => void): () => void;
}

interface RulesWork {
  variant: InterpretableVariant;
  tries: number;
}

interface ModelWork {
  id: string;
  variant: InterpretableVariant;
  queuedAt: number;
}

/** Tries to write a variant's rules before leaving it to the sweep (its row may not be written yet). */
const RULES_WRITE_TRIES = 10;

const toInterpretable = (variant: MutationDetected): InterpretableVariant => ({
  runId: variant.runId,
  contig: variant.contig,
  position: variant.position,
  ref: variant.ref,
  alt: variant.alt,
  type: variant.type,
  depth: variant.depth,
  altCount: variant.altCount,
  alleleFrequency: variant.alleleFrequency,
  quality: variant.quality,
});

const interpretedEvent = (
  id: string,
  variant: InterpretableVariant,
  source: string,
  interpretation: VariantInterpreted['interpretation'],
): VariantInterpreted => ({
  id,
  runId: variant.runId,
  contig: variant.contig,
  position: variant.position,
  ref: variant.ref,
  alt: variant.alt,
  source,
  interpretation,
});

class Service implements InterpretationService {
  readonly observer: InterpretationService['observer'];
  readonly referenceContext: ReferenceContextSource;
  readonly model: string | undefined;
  readonly #logger: Logger;
  readonly #alarmLogger: Logger | undefined;
  readonly #tuning: InterpretationTuning;
  readonly #store: InterpretationStore;
  readonly #groq: GroqInterpreter | undefined;
  readonly #limiter: RateLimiter;
  readonly #breaker: CircuitBreaker;
  readonly #counters = new InterpretationCounters();
  readonly #rulesQueue: WorkQueue<RulesWork>;
  readonly #modelQueue: WorkQueue<ModelWork>;
  readonly #inFlight = new Set<SiteKey>();
  readonly #listeners = new Set<(event: VariantInterpreted) => void>();
  readonly #abort = new AbortController();
  #rulesTimer: NodeJS.Timeout | undefined;
  #rulesFlushing: Promise<void> | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  #sweepCursor = '0';
  #modelLoop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #started = false;
  #stopped = false;
  #authFailureLogged = false;
  #lastWriteWarning = 0;

  constructor(options: InterpretationServiceOptions) {
    this.#tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.#alarmLogger = options.logAlarm === false ? undefined : options.logger;
    this.#logger = options.logger.child({ component: 'interpret' });
    this.#store = new InterpretationStore(options.pool);
    this.referenceContext =
      options.referenceContext ?? new RunReferenceContext({ pool: options.pool, logger: this.#logger });
    this.#rulesQueue = new WorkQueue(this.#tuning.queueCapacity);
    this.#modelQueue = new WorkQueue(this.#tuning.queueCapacity);
    this.#limiter = new RateLimiter({
      requestsPerMinute: this.#tuning.requestsPerMinute,
      tokensPerMinute: this.#tuning.tokensPerMinute,
    });
    this.#breaker = new CircuitBreaker({
      failureThreshold: this.#tuning.failureThreshold,
      cooldownMs: this.#tuning.cooldownMs,
      onStateChange: (state, reason) => this.#onBreakerChange(state, reason),
    });
    const groq = options.config.groq;
    this.#groq = groq
      ? new GroqInterpreter({
          apiKey: groq.apiKey,
          baseUrl: groq.baseUrl,
          model: groq.model,
          timeoutMs: this.#tuning.timeoutMs,
          maxRetries: this.#tuning.maxRetries,
          logger: this.#logger,
          onRateLimited: (ms) => this.#limiter.pauseFor(ms),
        })
      : undefined;
    this.model = this.#groq?.model;
    this.observer = { mutationDetected: (variant) => this.#onMutationDetected(variant) };
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#logger.info(
      this.model ? { model: this.model } : {},
      this.model ? 'interpreting variants by rules and model' : 'interpreting variants by rules (no GROQ_API_KEY)',
    );
    await this.sweep();
    this.#scheduleSweep();
    if (this.#groq) this.#modelLoop = this.#runModelLoop(this.#groq);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#sweepTimer);
    clearTimeout(this.#rulesTimer);
    this.#abort.abort();
    this.#wake?.();
    await this.#modelLoop;
    await this.#sweeping;
    await this.#rulesFlushing;
    // Rules are cheap: write what is queued rather than leave it to the next start's sweep.
    if (this.#rulesQueue.length > 0) await this.#flushRules(true);
    this.#modelQueue.clear();
  }

  metrics(): InterpretationMetrics {
    const counters = this.#counters;
    return {
      model: this.model ?? null,
      interpretedByRules: counters.interpretedByRules,
      interpretedByModel: counters.interpretedByModel,
      pending: counters.pending,
      queued: this.#rulesQueue.length + this.#modelQueue.length,
      overflowed: this.#rulesQueue.dropped + this.#modelQueue.dropped,
      requests: counters.requests,
      retries: Math.max(0, (this.#groq?.httpAttempts ?? 0) - counters.requests),
      failures: counters.failures,
      invalidAnswers: counters.invalidAnswers,
      rejectedVariants: counters.rejectedVariants,
      breakerState: this.#breaker.state,
      breakerOpened: this.#breaker.timesOpened,
      lastLatencyMs: counters.lastLatencyMs,
    };
  }

  onInterpreted(listener: (event: VariantInterpreted) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce()
      .catch((error: Error) => this.#warnWrite('looking for pending interpretations failed', error))
      .finally(() => {
        this.#sweeping = undefined;
      });
    return this.#sweeping;
  }

  // --- the pipeline's side: must return at once --------------------------------------------------

  #onMutationDetected(variant: MutationDetected): void {
    if (this.#alarmLogger) logMutationDetected(this.#alarmLogger, variant);
    if (this.#stopped) return;
    this.#counters.pending += 1;
    const interpretable = toInterpretable(variant);
    if (this.#rulesQueue.offer(siteKey(interpretable), { variant: interpretable, tries: 0 })) this.#scheduleRules();
  }

  // --- rules ---------------------------------------------------------------------------------------

  #scheduleRules(): void {
    if (this.#rulesTimer || this.#stopped) return;
    this.#rulesTimer = setTimeout(() => {
      this.#rulesTimer = undefined;
      this.#rulesFlushing ??= this.#flushRules(false).finally(() => {
        this.#rulesFlushing = undefined;
        if (this.#rulesQueue.length > 0) this.#scheduleRules();
      });
    }, this.#tuning.rulesFlushMs);
  }

  async #rulesOf(variant: InterpretableVariant): Promise<{ rules: RulesInterpretation; prompt: PromptVariant }> {
    const window = await this.referenceContext
      .window(variant.runId, variant.contig, variant.position)
      .catch(() => undefined);
    const rules = interpretByRules(variant, window);
    return { rules, prompt: { variant, rules, window } };
  }

  async #flushRules(all: boolean): Promise<void> {
    do {
      const work = this.#rulesQueue.take(500);
      if (work.length === 0) return;
      for (const item of work) this.#inFlight.add(siteKey(item.variant));
      try {
        const rows = await Promise.all(
          work.map(async (item) => ({
            variant: item.variant,
            interpretation: (await this.#rulesOf(item.variant)).rules,
          })),
        );
        const found = await this.#store.writeRules(rows, !this.#groq);
        for (const [index, row] of rows.entries()) {
          const key = siteKey(row.variant);
          const stored = found.get(key);
          if (!stored) {
            // Its row is not written yet (the sink batches); try again shortly, then leave it to the sweep.
            const item = work[index] as RulesWork;
            if (item.tries + 1 < RULES_WRITE_TRIES && !this.#stopped) {
              this.#rulesQueue.offer(key, { variant: item.variant, tries: item.tries + 1 });
            }
            continue;
          }
          if (stored.written) {
            this.#counters.interpretedByRules += 1;
            if (!this.#groq) this.#counters.pending = Math.max(0, this.#counters.pending - 1);
            this.#emit(interpretedEvent(stored.id, row.variant, 'rules', row.interpretation));
          }
          if (this.#groq && stored.pending) this.#offerToModel(stored.id, row.variant);
        }
      } catch (error) {
        // The database is unreachable: the variants stay pending there, and the sweep brings them back.
        this.#warnWrite('storing rules interpretations failed; they stay pending', error as Error);
        if (!all) return;
      } finally {
        for (const item of work) this.#inFlight.delete(siteKey(item.variant));
      }
    } while (all || this.#rulesQueue.length >= 500);
  }

  // --- the model -----------------------------------------------------------------------------------

  #offerToModel(id: string, variant: InterpretableVariant): void {
    if (this.#modelQueue.offer(siteKey(variant), { id, variant, queuedAt: performance.now() })) this.#wake?.();
  }

  /** Waits `ms` (or until woken by new work or a stop). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.#wake === done) self.#wake = undefined;
        resolve();
      }
      this.#wake = done;
    });
  }

  async #runModelLoop(groq: GroqInterpreter): Promise<void> {
    const { batchSize, batchLingerMs } = this.#tuning;
    while (!this.#stopped) {
      const oldest = this.#modelQueue.peek();
      if (!oldest) {
        await this.#pause(this.#tuning.sweepIntervalMs);
        continue;
      }
      const closedIn = this.#breaker.delay();
      if (closedIn > 0) {
        await this.#pause(closedIn);
        continue;
      }
      const age = performance.now() - oldest.queuedAt;
      if (this.#modelQueue.length < batchSize && age < batchLingerMs) {
        await this.#pause(batchLingerMs - age);
        continue;
      }
      const work = this.#modelQueue.take(batchSize);
      for (const item of work) this.#inFlight.add(siteKey(item.variant));
      try {
        await this.#interpretBatch(groq, work);
      } catch (error) {
        this.#warnWrite('storing model interpretations failed; they stay pending', error as Error);
      } finally {
        for (const item of work) this.#inFlight.delete(siteKey(item.variant));
      }
    }
  }

  async #interpretBatch(groq: GroqInterpreter, work: ModelWork[]): Promise<void> {
    let prompts = await Promise.all(work.map(async (item) => (await this.#rulesOf(item.variant)).prompt));
    // A batch bigger than a minute's token allowance could never go: send fewer, keep the rest queued.
    while (prompts.length > 1 && groq.estimateTokens(prompts) > this.#limiter.maxTokensPerRequest) {
      const last = work.pop() as ModelWork;
      prompts = prompts.slice(0, -1);
      this.#inFlight.delete(siteKey(last.variant));
      this.#modelQueue.offer(siteKey(last.variant), last);
    }
    const estimate = Math.min(groq.estimateTokens(prompts), this.#limiter.maxTokensPerRequest);
    for (
      let wait = this.#limiter.delayFor(estimate);
      wait > 0 && !this.#stopped;
      wait = this.#limiter.delayFor(estimate)
    ) {
      await this.#pause(wait);
    }
    if (this.#stopped) return;
    if (!this.#breaker.tryAcquire()) {
      this.#requeue(work);
      return;
    }
    this.#limiter.take(estimate);
    this.#counters.requests += 1;
    const outcome = await groq.interpret(prompts, this.#abort.signal);
    if (outcome.kind !== 'failed' && outcome.tokens !== undefined) this.#limiter.settle(estimate, outcome.tokens);
    await this.#handleOutcome(groq, work, prompts, outcome);
  }

  async #handleOutcome(groq: GroqInterpreter, work: ModelWork[], prompts: PromptVariant[], outcome: ModelCallOutcome) {
    if (outcome.kind === 'failed') {
      if (outcome.failure === 'aborted') return;
      this.#counters.failures += 1;
      if (outcome.failure === 'auth') {
        if (!this.#authFailureLogged) {
          this.#authFailureLogged = true;
          this.#logger.error(
            { model: groq.model, status: outcome.status, reason: outcome.reason },
            `Groq refused the API key (HTTP ${outcome.status ?? '?'}): model interpretation paused (circuit breaker open), rules interpretation continues; check GROQ_API_KEY`,
          );
        }
        this.#breaker.trip('auth');
      } else {
        this.#logger.warn(
          {
            model: groq.model,
            failure: outcome.failure,
            status: outcome.status,
            reason: outcome.reason,
            variants: work.length,
          },
          'model request failed; its variants stay pending',
        );
        this.#breaker.recordFailure(outcome.failure);
      }
      this.#requeue(work);
      return;
    }
    this.#breaker.recordSuccess();
    if (outcome.kind === 'invalid') {
      this.#counters.invalidAnswers += 1;
      this.#logger.warn(
        { model: groq.model, reason: outcome.reason, variants: work.length },
        'model answer rejected; rules interpretation kept',
      );
      await this.#reject(work.map((item) => item.id));
      return;
    }
    this.#counters.lastLatencyMs = outcome.latencyMs;
    const rows: { item: ModelWork; interpretation: ModelInterpretation }[] = [];
    for (const [index, entry] of outcome.answer.entries) {
      const item = work[index] as ModelWork;
      const prompt = prompts[index] as PromptVariant;
      rows.push({
        item,
        interpretation: this.#modelInterpretation(groq, entry, prompt.rules, outcome.latencyMs, work.length),
      });
    }
    await this.#store.writeModel(
      groq.model,
      rows.map((row) => ({ id: row.item.id, interpretation: row.interpretation })),
    );
    this.#counters.interpretedByModel += rows.length;
    this.#counters.pending = Math.max(0, this.#counters.pending - rows.length);
    for (const { item, interpretation } of rows) {
      this.#emit(interpretedEvent(item.id, item.variant, groq.model, interpretation));
    }
    if (outcome.answer.missing.length > 0) {
      this.#counters.invalidAnswers += 1;
      this.#logger.warn(
        { model: groq.model, missing: outcome.answer.missing.length, variants: work.length },
        'model answer incomplete; the variants left out keep their rules interpretation for now',
      );
      await this.#reject(outcome.answer.missing.map((index) => (work[index] as ModelWork).id));
    }
  }

  #modelInterpretation(
    groq: GroqInterpreter,
    entry: ModelEntry,
    rules: RulesInterpretation,
    latencyMs: number,
    batchSize: number,
  ): ModelInterpretation {
    return {
      source: groq.model,
      summary: entry.summary,
      significance: entry.significance,
      latencyMs,
      batchSize,
      rules,
    };
  }

  /** Counts an invalid answer against variants; they come back with the sweep until given up. */
  async #reject(ids: string[]): Promise<void> {
    const rejected = await this.#store.recordRejections(ids, this.#tuning.maxAttempts);
    this.#counters.rejectedVariants += rejected.length;
    this.#counters.pending = Math.max(0, this.#counters.pending - rejected.length);
  }

  /** Puts work back at the back of the queue; what does not fit stays pending in the database. */
  #requeue(work: ModelWork[]): void {
    for (const item of work) this.#modelQueue.offer(siteKey(item.variant), item);
  }

  #onBreakerChange(state: string, reason: string | undefined): void {
    if (state === 'open') {
      // A refused key has its own single line.
      if (reason !== 'auth') {
        this.#logger.warn(
          { failures: this.#breaker.consecutiveFailures, reason, cooldownMs: this.#tuning.cooldownMs },
          'model circuit breaker open; rules interpretation continues',
        );
      }
    } else if (state === 'closed') {
      this.#logger.info('model circuit breaker closed; model interpretation resumed');
    } else if (!this.#authFailureLogged) {
      this.#logger.info('model circuit breaker half-open; probing');
    }
  }

  // --- the sweep -----------------------------------------------------------------------------------

  #scheduleSweep(): void {
    if (this.#stopped) return;
    this.#sweepTimer = setTimeout(() => {
      void this.sweep().finally(() => this.#scheduleSweep());
    }, this.#tuning.sweepIntervalMs);
    this.#sweepTimer.unref();
  }

  async #sweepOnce(): Promise<void> {
    const withModel = this.#groq !== undefined && this.#breaker.delay() === 0 && !this.#modelQueue.full;
    const limit = this.#tuning.sweepLimit;
    const rows = await this.#store.pending(limit, this.#sweepCursor, withModel);
    // Walk the pending rows in id order, a slice per sweep; start over at the end.
    this.#sweepCursor = rows.length < limit ? '0' : (rows[rows.length - 1]?.id ?? '0');
    let rulesAdded = false;
    for (const row of rows) {
      const key = siteKey(row);
      if (this.#inFlight.has(key) || this.#rulesQueue.has(key) || this.#modelQueue.has(key)) continue;
      const { id, hasRules, attempts: _attempts, ...variant } = row;
      if (!hasRules) {
        rulesAdded = this.#rulesQueue.offer(key, { variant, tries: RULES_WRITE_TRIES - 1 }) || rulesAdded;
      } else {
        this.#offerToModel(id, variant);
      }
    }
    if (rulesAdded) this.#scheduleRules();
    this.#counters.pending = await this.#store.countPending();
  }

  // --- plumbing ------------------------------------------------------------------------------------

  #emit(event: VariantInterpreted): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn({ reason: (error as Error).message }, 'interpretation listener failed');
      }
    }
  }

  #warnWrite(message: string, error: Error): void {
    // The database being down must not flood the log: one line per 10 s.
    if (Date.now() - this.#lastWriteWarning < 10_000) return;
    this.#lastWriteWarning = Date.now();
    this.#logger.warn({ reason: error.message }, message);
  }
}

/**
 * Creates the interpretation service. Wire `observer.mutationDetected` into the pipeline's
 * observer, call `start()` once the database is open, and `stop()` before closing it.
 */
export function createInterpretationService(options: InterpretationServiceOptions): InterpretationService {
  return new Service(options);
}
