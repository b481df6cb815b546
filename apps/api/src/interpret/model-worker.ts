/**
 * The model worker: sends the variants whose rules are stored to a Groq model in batches, paced by
 * the client rate limit and held back by a circuit breaker while the model keeps failing. What
 * fails stays queued (or pending in the database); what is answered goes to {@link ModelAnswers}.
 */
import type { Logger } from '../logger.js';
import { type BreakerState, CircuitBreaker } from './circuit-breaker.js';
import { GroqInterpreter, type GroqInterpreterOptions, type ModelCallOutcome } from './groq.js';
import { type InterpretationStore, siteKey } from './interpretation-store.js';
import type { InterpretationListeners } from './interpreted-event.js';
import type { InterpretationMetrics } from './metrics.js';
import { ModelAnswers } from './model-answers.js';
import type { PendingCount } from './pending-count.js';
import { RateLimiter } from './rate-limiter.js';
import type { ReferenceContextSource } from './reference-context.js';
import type { InterpretableVariant } from './rules.js';
import { rulesInContext } from './rules-in-context.js';
import type { InterpretationTuning } from './tuning.js';
import { WorkQueue } from './work-queue.js';
import type { WriteWarning } from './write-warning.js';

/** The part of {@link InterpretationMetrics} the model worker keeps. */
export type ModelMetrics = Pick<
  InterpretationMetrics,
  | 'interpretedByModel'
  | 'requests'
  | 'retries'
  | 'failures'
  | 'invalidAnswers'
  | 'rejectedVariants'
  | 'breakerState'
  | 'breakerOpened'
  | 'lastLatencyMs'
>;

/** {@link ModelMetrics} when no model is configured: nothing sent, the breaker never opened. */
export const NO_MODEL_METRICS: ModelMetrics = {
  interpretedByModel: 0,
  requests: 0,
  retries: 0,
  failures: 0,
  invalidAnswers: 0,
  rejectedVariants: 0,
  breakerState: 'closed',
  breakerOpened: 0,
  lastLatencyMs: null,
};

/** What {@link ModelWorker} needs. */
export interface ModelWorkerOptions {
  /** How to reach the model (`config.groq`). */
  groq: Pick<GroqInterpreterOptions, 'apiKey' | 'baseUrl' | 'model'>;
  store: InterpretationStore;
  referenceContext: ReferenceContextSource;
  listeners: InterpretationListeners;
  pending: PendingCount;
  warning: WriteWarning;
  logger: Logger;
  tuning: Pick<
    InterpretationTuning,
    | 'queueCapacity'
    | 'batchSize'
    | 'batchLingerMs'
    | 'sweepIntervalMs'
    | 'maxAttempts'
    | 'requestsPerMinute'
    | 'tokensPerMinute'
    | 'failureThreshold'
    | 'cooldownMs'
    | 'timeoutMs'
    | 'maxRetries'
  >;
}

interface ModelWork {
  id: string;
  variant: InterpretableVariant;
  queuedAt: number;
}

/** Interprets queued variants by the model, one request per batch, one request at a time. */
export class ModelWorker {
  /** The model's name. */
  readonly model: string;
  readonly #tuning: ModelWorkerOptions['tuning'];
  readonly #referenceContext: ReferenceContextSource;
  readonly #warning: WriteWarning;
  readonly #logger: Logger;
  readonly #groq: GroqInterpreter;
  readonly #answers: ModelAnswers;
  readonly #limiter: RateLimiter;
  readonly #breaker: CircuitBreaker;
  readonly #queue: WorkQueue<ModelWork>;
  readonly #asking = new Set<string>();
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;
  #requests = 0;
  #failures = 0;
  #authFailureLogged = false;

  constructor(options: ModelWorkerOptions) {
    const { tuning, logger } = options;
    this.#tuning = tuning;
    this.#referenceContext = options.referenceContext;
    this.#warning = options.warning;
    this.#logger = logger;
    this.#queue = new WorkQueue(tuning.queueCapacity);
    this.#limiter = new RateLimiter({
      requestsPerMinute: tuning.requestsPerMinute,
      tokensPerMinute: tuning.tokensPerMinute,
    });
    this.#breaker = new CircuitBreaker({
      failureThreshold: tuning.failureThreshold,
      cooldownMs: tuning.cooldownMs,
      onStateChange: (state, reason) => this.#onBreakerChange(state, reason),
    });
    this.#groq = new GroqInterpreter({
      ...options.groq,
      timeoutMs: tuning.timeoutMs,
      maxRetries: tuning.maxRetries,
      logger,
      onRateLimited: (ms) => this.#limiter.pauseFor(ms),
    });
    this.model = this.#groq.model;
    this.#answers = new ModelAnswers({
      store: options.store,
      listeners: options.listeners,
      pending: options.pending,
      logger,
      model: this.model,
      maxAttempts: tuning.maxAttempts,
    });
  }

  /** Variants waiting for a request. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Variants refused because the queue was full (they stay pending in the database). */
  get overflowed(): number {
    return this.#queue.dropped;
  }

  /** True when the worker would take more work now: the breaker lets requests go and the queue has room. */
  get accepting(): boolean {
    return this.#breaker.delay() === 0 && !this.#queue.full;
  }

  /** True while the variant of `key` waits or is being asked about. */
  holds(key: string): boolean {
    return this.#asking.has(key) || this.#queue.has(key);
  }

  /** Queues the stored variant `id` for the model; returns at once. A stopped worker takes nothing. */
  offer(id: string, variant: InterpretableVariant): void {
    if (this.#stopped) return;
    if (this.#queue.offer(siteKey(variant), { id, variant, queuedAt: performance.now() })) this.#wake?.();
  }

  /** Starts sending batches. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Aborts the request under way, waits for the worker to end, and forgets what is queued. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
    this.#queue.clear();
  }

  /** The worker's counters and its breaker's state. */
  metrics(): ModelMetrics {
    return {
      interpretedByModel: this.#answers.interpreted,
      requests: this.#requests,
      retries: Math.max(0, this.#groq.httpAttempts - this.#requests),
      failures: this.#failures,
      invalidAnswers: this.#answers.invalid,
      rejectedVariants: this.#answers.rejected,
      breakerState: this.#breaker.state,
      breakerOpened: this.#breaker.timesOpened,
      lastLatencyMs: this.#answers.lastLatencyMs,
    };
  }

  /** Waits `ms` (or until woken by new work or a stop). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    const { batchSize, batchLingerMs, sweepIntervalMs } = this.#tuning;
    while (!this.#stopped) {
      const oldest = this.#queue.peek();
      if (!oldest) {
        // New work wakes it at once; the timeout only bounds how long an idle worker sleeps.
        await this.#pause(sweepIntervalMs);
        continue;
      }
      const closedIn = this.#breaker.delay();
      if (closedIn > 0) {
        await this.#pause(closedIn);
        continue;
      }
      const age = performance.now() - oldest.queuedAt;
      if (this.#queue.length < batchSize && age < batchLingerMs) {
        await this.#pause(batchLingerMs - age);
        continue;
      }
      const work = this.#queue.take(batchSize);
      for (const item of work) this.#asking.add(siteKey(item.variant));
      try {
        await this.#interpretBatch(work);
      } catch (error) {
        this.#warning.warn('storing model interpretations failed; they stay pending', error as Error);
      } finally {
        for (const item of work) this.#asking.delete(siteKey(item.variant));
      }
    }
  }

  async #interpretBatch(work: ModelWork[]): Promise<void> {
    const groq = this.#groq;
    let prompts = await Promise.all(work.map((item) => rulesInContext(this.#referenceContext, item.variant)));
    // A batch bigger than a minute's token allowance could never go: send fewer, keep the rest queued.
    while (prompts.length > 1 && groq.estimateTokens(prompts) > this.#limiter.maxTokensPerRequest) {
      const last = work.pop() as ModelWork;
      prompts = prompts.slice(0, -1);
      this.#asking.delete(siteKey(last.variant));
      this.#queue.offer(siteKey(last.variant), last);
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
    this.#requests += 1;
    const outcome = await groq.interpret(prompts, this.#abort.signal);
    if (outcome.kind === 'failed') {
      this.#onFailure(outcome, work);
      return;
    }
    if (outcome.tokens !== undefined) this.#limiter.settle(estimate, outcome.tokens);
    this.#breaker.recordSuccess();
    await this.#answers.store({ ids: work.map((item) => item.id), prompts }, outcome);
  }

  /** Counts and logs a failed request, tells the breaker, and keeps its variants queued. */
  #onFailure(outcome: Extract<ModelCallOutcome, { kind: 'failed' }>, work: ModelWork[]): void {
    if (outcome.failure === 'aborted') return;
    this.#failures += 1;
    if (outcome.failure === 'auth') {
      if (!this.#authFailureLogged) {
        this.#authFailureLogged = true;
        this.#logger.error(
          { model: this.model, status: outcome.status, reason: outcome.reason },
          `Groq refused the API key (HTTP ${outcome.status ?? '?'}): model interpretation paused (circuit breaker open), rules interpretation continues; check GROQ_API_KEY`,
        );
      }
      this.#breaker.trip('auth');
    } else {
      this.#logger.warn(
        {
          model: this.model,
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
  }

  /** Puts work back at the back of the queue; what does not fit stays pending in the database. */
  #requeue(work: ModelWork[]): void {
    for (const item of work) this.#queue.offer(siteKey(item.variant), item);
  }

  #onBreakerChange(state: BreakerState, reason: string | undefined): void {
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
}
