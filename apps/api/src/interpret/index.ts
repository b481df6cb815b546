/** Variant interpretation: rules always, a Groq model when configured. */
export { logMutationDetected, MUTATION_DETECTED } from './alarm.js';
export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export { GroqInterpreter, type GroqInterpreterOptions, type ModelCallOutcome, type ModelFailureKind } from './groq.js';
export { InterpretationStore, type PendingVariant, siteKey } from './interpretation-store.js';
export type { ModelInterpretation, VariantInterpreted } from './interpreted-event.js';
export type { InterpretationMetrics } from './metrics.js';
export { SIGNIFICANCE_CLASSES, type Significance } from './prompt.js';
export { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limiter.js';
export {
  type ReferenceContextSource,
  RunReferenceContext,
  type RunReferenceContextOptions,
} from './reference-context.js';
export {
  type InterpretableVariant,
  interpretByRules,
  type QualityBand,
  type RulesInterpretation,
  type SubstitutionClass,
  type Zygosity,
} from './rules.js';
export type { ReferenceWindow, RepeatContext } from './sequence-context.js';
export {
  createInterpretationService,
  type InterpretationService,
  type InterpretationServiceOptions,
} from './service.js';
export { DEFAULT_TUNING, type InterpretationTuning } from './tuning.js';
