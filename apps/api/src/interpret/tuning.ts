/** How the interpretation service batches, paces and gives up, and the defaults it starts from. */
import { DEFAULT_RATE_LIMITS } from './rate-limiter.js';

/** How the service batches, paces and gives up. Every field has a default. */
export interface InterpretationTuning {
  /** Variants held in memory per queue; more stay pending in the database (default 1,000). */
  queueCapacity: number;
  /** How long confirmed variants gather before their rules' interpretations are written (default 200 ms). */
  rulesFlushMs: number;
  /** How often the interpretations of running runs are checked against their moving calls (default 5 s). */
  refreshIntervalMs: number;
  /** Times per run the model is asked again about a call whose statement changed class (default 50). */
  modelReasksPerRun: number;
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
  refreshIntervalMs: 5_000,
  modelReasksPerRun: 50,
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
