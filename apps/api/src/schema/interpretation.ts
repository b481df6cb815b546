import type { InterpretationMetrics } from '../interpret/metrics.js';
import { builder } from './builder.js';
import { requireRole } from './errors.js';

const BreakerState = builder.enumType('BreakerState', {
  description: 'The circuit breaker in front of the model.',
  values: { CLOSED: { value: 'closed' }, OPEN: { value: 'open' }, HALF_OPEN: { value: 'half-open' } } as const,
});

const InterpretationStatus = builder.objectRef<InterpretationMetrics>('InterpretationStatus').implement({
  description: "How the interpretation of confirmed variants is going (this process's counters).",
  fields: (t) => ({
    model: t.exposeString('model', {
      nullable: true,
      description: 'The model interpreting; null when only the rules run.',
    }),
    interpretedByRules: t.exposeInt('interpretedByRules'),
    interpretedByModel: t.exposeInt('interpretedByModel'),
    pending: t.exposeInt('pending', { description: 'Confirmed variants still waiting for an interpretation.' }),
    failures: t.exposeInt('failures', { description: 'Model requests that failed after retries.' }),
    invalidAnswers: t.exposeInt('invalidAnswers', { description: 'Model answers rejected as invalid.' }),
    breakerState: t.field({ type: BreakerState, resolve: (metrics) => metrics.breakerState }),
    lastLatencyMs: t.exposeFloat('lastLatencyMs', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  interpretation: t.field({
    type: InterpretationStatus,
    description: 'Interpretation counters: by rules, by the model, pending, failures, breaker state.',
    resolve: (_root, _args, context) => {
      requireRole(context.role, 'viewer');
      return context.interpretationMetrics();
    },
  }),
}));
