/**
 * Circuit breaker in front of the model: after repeated failures it stops calling for a while,
 * then lets one probe through to see whether the service is back.
 */

/** `closed`: requests go; `open`: none go until the cool-down ends; `half-open`: one probe goes. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long it stays open before a probe (default 30 s). */
  cooldownMs?: number;
  /** Told of every change of state. */
  onStateChange?: (state: BreakerState, reason: string | undefined) => void;
  now?: () => number;
}

/** Consecutive-failure circuit breaker with a single half-open probe. */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #onStateChange: CircuitBreakerOptions['onStateChange'];
  readonly #now: () => number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  #opened = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#onStateChange = options.onStateChange;
    this.#now = options.now ?? Date.now;
    if (!(this.#threshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
  }

  /** The state now (an open breaker whose cool-down has passed reads `half-open`). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) return 'half-open';
    return this.#state;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Times the breaker has opened. */
  get timesOpened(): number {
    return this.#opened;
  }

  /** Milliseconds until a request may go (0: now; the cool-down's rest while open). */
  delay(): number {
    if (this.#state === 'closed') return 0;
    if (this.#probing) return this.#cooldownMs;
    return Math.max(0, this.#openedAt + this.#cooldownMs - this.#now());
  }

  /**
   * Asks to send a request: true when closed, or when this is the half-open probe (then no other
   * request goes until it reports).
   */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#probing || this.delay() > 0) return false;
    this.#probing = true;
    this.#change('half-open', 'cool-down over; probing');
    return true;
  }

  /** The request succeeded: the breaker closes. */
  recordSuccess(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#change('closed', 'probe succeeded');
  }

  /** The request failed: the breaker opens at the threshold, or again when the probe failed. */
  recordFailure(reason: string): void {
    this.#failures += 1;
    if (this.#probing || this.#failures >= this.#threshold) this.#open(reason);
  }

  /** Opens at once, whatever the count (a failure that retrying cannot cure, such as a bad key). */
  trip(reason: string): void {
    this.#failures += 1;
    this.#open(reason);
  }

  #open(reason: string): void {
    this.#probing = false;
    this.#openedAt = this.#now();
    this.#opened += 1;
    this.#change('open', reason);
  }

  #change(state: BreakerState, reason: string | undefined): void {
    this.#state = state;
    this.#onStateChange?.(state, reason);
  }
}
