/** The interpretation service's counters and gauges, as plain numbers for GraphQL and Prometheus. */
import type { BreakerState } from './circuit-breaker.js';

/** A snapshot of the interpretation service. Counters count since the process started. */
export interface InterpretationMetrics {
  /** The model interpreting (its name), or null when only the rules run. */
  model: string | null;
  /** Variants whose rules' interpretation this process stored. */
  interpretedByRules: number;
  /** Interpretations rewritten by the rules because their call moved materially since they were written. */
  refreshedByRules: number;
  /** Variants taken back to the model because their statement changed class (minority to fixed, a filter). */
  modelReasks: number;
  /** Variants whose statement changed class after their run spent its re-asks (the model's text kept). */
  modelReasksRefused: number;
  /** Variants whose model interpretation this process stored. */
  interpretedByModel: number;
  /** Confirmed variants whose interpretation is still pending in the database (at the last sweep or write). */
  pending: number;
  /** Variants waiting in memory (rules and model queues). */
  queued: number;
  /** Variants not queued because the queue was full; they stay pending in the database for the sweep. */
  overflowed: number;
  /** Model requests sent (each may have been retried by the SDK). */
  requests: number;
  /** HTTP attempts beyond the first of each request (the SDK's retries). */
  retries: number;
  /** Model requests that failed (timeouts, 5xx and 429 after retries, connection errors, bad key). */
  failures: number;
  /** Model answers rejected, wholly or in part, as invalid (not JSON, wrong shape, entries missing). */
  invalidAnswers: number;
  /** Variants given up on after too many invalid answers (their rules' interpretation stays). */
  rejectedVariants: number;
  /** The circuit breaker in front of the model. */
  breakerState: BreakerState;
  /** Times the breaker opened. */
  breakerOpened: number;
  /** Latency of the last answered model request, in milliseconds. */
  lastLatencyMs: number | null;
}
