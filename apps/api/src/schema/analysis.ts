import { ANALYSIS_ORDERS, type AnalysisFilter as AnalysisFilterShape } from '../read-model/analyses.js';
import type { AnalysisRow } from '../read-model/rows.js';
import { isUuid } from '../read-model/sql.js';
import { builder } from './builder.js';
import { badUserInput, requireRole } from './errors.js';
import { emptyConnection, keysetRequest, toConnection } from './pagination.js';
import { loadRun, Run } from './run.js';

const AnalysisOrder = builder.enumType('AnalysisOrder', {
  description: 'How analyses are ordered.',
  values: {
    SEQUENCE: { description: 'By run, then batch sequence number (the order the producer made them).' },
    CREATED_AT: { description: 'By the time each batch was analysed, oldest first.' },
  } as const,
});

/** One analysed batch. */
export const Analysis = builder.objectRef<AnalysisRow>('Analysis').implement({
  description: 'One analysed batch of reads.',
  fields: (t) => ({
    id: t.exposeID('id'),
    runId: t.exposeID('runId'),
    run: t.field({
      type: Run,
      description: 'The run this batch belongs to (batched: one query per page, not per batch).',
      resolve: async (analysis, _args, context) => {
        const run = await loadRun(context, analysis.runId);
        if (!run) throw new Error(`run ${analysis.runId} of analysis ${analysis.id} is missing`);
        return run;
      },
    }),
    sequence: t.exposeInt('sequence', { description: 'Position of the batch in the run, from 0.' }),
    reads: t.exposeInt('reads'),
    mappedReads: t.exposeInt('mappedReads'),
    mutatedReads: t.exposeInt('mutatedReads', { description: 'Reads with at least one mismatch or indel.' }),
    mutationsFound: t.exposeInt('mutationsFound'),
    processingTimeMs: t.exposeFloat('processingTimeMs'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AnalysisFilter = builder.inputType('AnalysisFilter', {
  description: 'Which analysed batches to list; every condition given must hold.',
  fields: (t) => ({
    runId: t.id({ required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'Analysed at or after this time.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Analysed before this time.' }),
  }),
});

builder.queryFields((t) => ({
  analyses: t.connection(
    {
      type: Analysis,
      description: 'Analysed batches, by run and sequence unless `orderBy` says otherwise; at most 100 a page.',
      args: {
        filter: t.arg({ type: AnalysisFilter, required: false }),
        orderBy: t.arg({ type: AnalysisOrder, required: false, defaultValue: 'SEQUENCE' }),
      },
      resolve: async (_root, args, context) => {
        requireRole(context.role, 'viewer');
        const filter: AnalysisFilterShape = {
          runId: args.filter?.runId == null ? undefined : String(args.filter.runId),
          from: args.filter?.from ?? undefined,
          to: args.filter?.to ?? undefined,
        };
        const orderName = args.orderBy ?? 'SEQUENCE';
        const order = ANALYSIS_ORDERS[orderName];
        const request = keysetRequest(args, order as never);
        let run: Awaited<ReturnType<typeof loadRun>> | undefined;
        if (filter.runId !== undefined) {
          if (!isUuid(filter.runId)) throw badUserInput('filter.runId must be a run id (a UUID)', 'filter.runId');
          filter.runId = filter.runId.toLowerCase();
          run = await loadRun(context, filter.runId);
          if (!run) return emptyConnection();
        } else {
          context.cacheScope?.uncacheable();
        }
        const page = await context.reads.analysesPage(filter, orderName, request);
        return toConnection(page, order, request, () => context.reads.analysesCount(filter, run ?? undefined));
      },
    },
    {
      name: 'AnalysisConnection',
      fields: (connection) => ({
        totalCount: connection.field({
          type: 'SafeInt',
          description: 'How many items match the filter, across all pages.',
          resolve: (page) => page.totalCount(),
        }),
      }),
    },
    { name: 'AnalysisEdge' },
  ),
  analysis: t.field({
    type: Analysis,
    nullable: true,
    description: 'One analysed batch by id; null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      requireRole(context.role, 'viewer');
      const text = String(id);
      if (!/^\d{1,18}$/.test(text)) return null;
      const analysis = await context.reads.analysisById(text);
      if (!analysis) {
        context.cacheScope?.uncacheable();
        return null;
      }
      await loadRun(context, analysis.runId);
      return analysis;
    },
  }),
}));
