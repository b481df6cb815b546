/**
 * Client-side rate limit for the model: requests per minute and tokens per minute, as Groq
 * meters them, so Helix stays under its quota instead of collecting 429s.
 */

/** Limits of {@link RateLimiter}. */
export interface RateLimits {
  /** Requests per minute (Groq's free tier: 30). */
  requestsPerMinute: number;
  /** Prompt plus completion tokens per minute (Groq's free tier: 6,000–12,000 by model). */
  tokensPerMinute: number;
}

/** Defaults near Groq's free tier for the default model (llama-3.3-70b-versatile). */
export const DEFAULT_RATE_LIMITS: RateLimits = { requestsPerMinute: 30, tokensPerMinute: 12_000 };

/** A token bucket holding up to one minute's allowance, refilled continuously. */
class Bucket {
  #level: number;
  #at: number;

  constructor(
    readonly perMinute: number,
    now: number,
  ) {
    this.#level = perMinute;
    this.#at = now;
  }

  level(now: number): number {
    this.#level = Math.min(this.perMinute, this.#level + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = now;
    return this.#level;
  }

  /** Milliseconds until `amount` is available (0: now). */
  delayFor(amount: number, now: number): number {
    const missing = Math.min(amount, this.perMinute) - this.level(now);
    return missing <= 0 ? 0 : Math.ceil((missing * 60_000) / this.perMinute);
  }

  /** Takes `amount`; the level may go below zero when a request used more than was estimated. */
  take(amount: number, now: number): void {
    this.#level = this.level(now) - amount;
  }
}

/**
 * Two token buckets, requests and tokens, each holding one minute's allowance. Ask
 * {@link RateLimiter.delayFor} before a request, {@link RateLimiter.take} when it goes, and
 * {@link RateLimiter.settle} with the usage the answer reports.
 */
export class RateLimiter {
  readonly #requests: Bucket;
  readonly #tokens: Bucket;
  readonly #now: () => number;
  #pausedUntil = 0;

  constructor(limits: RateLimits = DEFAULT_RATE_LIMITS, now: () => number = Date.now) {
    if (!(limits.requestsPerMinute > 0) || !(limits.tokensPerMinute > 0)) {
      throw new RangeError('requestsPerMinute and tokensPerMinute must be above 0');
    }
    this.#now = now;
    this.#requests = new Bucket(limits.requestsPerMinute, now());
    this.#tokens = new Bucket(limits.tokensPerMinute, now());
  }

  /** Most tokens one request may be estimated at (a bigger one could never go). */
  get maxTokensPerRequest(): number {
    return this.#tokens.perMinute;
  }

  /** Milliseconds to wait before a request of about `tokens` tokens may go (0: now). */
  delayFor(tokens: number): number {
    const now = this.#now();
    return Math.max(this.#pausedUntil - now, this.#requests.delayFor(1, now), this.#tokens.delayFor(tokens, now), 0);
  }

  /** Counts a request of about `tokens` tokens as sent. */
  take(tokens: number): void {
    const now = this.#now();
    this.#requests.take(1, now);
    this.#tokens.take(tokens, now);
  }

  /** Corrects the token count of a request once its answer reports what it used. */
  settle(estimatedTokens: number, usedTokens: number): void {
    this.#tokens.take(usedTokens - estimatedTokens, this.#now());
  }

  /** Holds every request back for `ms` (the server said so with `retry-after`). */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }
}
