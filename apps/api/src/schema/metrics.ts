import type { MetricSampleRow } from '../read-model/rows.js';
import { builder } from './builder.js';
import { badUserInput, requireRole } from './errors.js';
import { loadRun } from './run.js';

const MetricSample = builder.objectRef<MetricSampleRow>('MetricSample').implement({
  description: 'The live metrics of a run at one second (or, downsampled, over several).',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    ingestionRate: t.exposeFloat('ingestionRate'),
    processingRate: t.exposeFloat('processingRate'),
    queueDepth: t.exposeInt('queueDepth'),
    inFlight: t.exposeInt('inFlight'),
    throttled: t.exposeBoolean('throttled'),
    sinkLag: t.exposeInt('sinkLag'),
    readsProduced: t.field({ type: 'SafeInt', resolve: (sample) => sample.readsProduced }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (sample) => sample.readsAnalysed }),
    latencyP50Ms: t.exposeFloat('latencyP50Ms', { nullable: true }),
    latencyP99Ms: t.exposeFloat('latencyP99Ms', { nullable: true }),
  }),
});

/** Most points one history answer holds. */
const MAX_POINTS = 5_000;

builder.queryFields((t) => ({
  metricsHistory: t.field({
    type: [MetricSample],
    nullable: true,
    description:
      "A run's stored metrics between from and to (one sample a second), averaged into at most maxPoints buckets; null when there is no such run.",
    args: {
      runId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: false }),
      to: t.arg({ type: 'DateTime', required: false }),
      maxPoints: t.arg.int({ required: false, defaultValue: 600, description: `From 1 to ${MAX_POINTS}.` }),
    },
    resolve: async (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const maxPoints = args.maxPoints ?? 600;
      if (maxPoints < 1 || maxPoints > MAX_POINTS)
        throw badUserInput(`maxPoints must be between 1 and ${MAX_POINTS}`, 'maxPoints');
      if (args.from && args.to && args.from >= args.to) throw badUserInput('from must be before to', 'from');
      const run = await loadRun(context, String(args.runId));
      if (!run) return null;
      return context.reads.metricsHistory(run.id, args.from ?? undefined, args.to ?? undefined, maxPoints);
    },
  }),
}));
