import { isFinished, type RunRow } from '../read-model/rows.js';
import { RUN_ORDERS } from '../read-model/runs.js';
import { isUuid } from '../read-model/sql.js';
import { RUN_WARNINGS_SHOWN } from '../read-model/warnings.js';
import { builder, type Context } from './builder.js';
import { requireRole } from './errors.js';
import { keysetRequest, toConnection } from './pagination.js';
import { RunWarning } from './run-warning.js';
import { Sample } from './sample.js';

export const ReadSource = builder.enumType('ReadSource', {
  description:
    "Where a run reads from: reads simulated from a reference, FASTQ files, or a sequencer's run folder followed as it is written.",
  values: ['SIMULATED', 'FASTQ', 'DIRECTORY'] as const,
});

export const CallingMode = builder.enumType('CallingMode', {
  description: 'How a run calls variants.',
  values: {
    GERMLINE: {
      description: 'Genotypes of one individual (diploid or haploid); minimum allele frequency 0.15 by default.',
    },
    POPULATION: {
      description:
        'Allele frequencies of a mixed population (a culture, a virus in a host, a wastewater sample), no genotypes, with per-strand counts and filters; minimum allele frequency 0.02 by default.',
    },
  } as const,
});

export const RunStatus = builder.enumType('RunStatus', {
  description: 'Lifecycle of a run. COMPLETED: its input was consumed; STOPPED: stopped by request.',
  values: ['RUNNING', 'STOPPING', 'COMPLETED', 'STOPPED', 'FAILED'] as const,
});

/** Config keys that name server files: shown to operators only. */
const FILE_KEYS = ['referencePath', 'readsPaths', 'directory'];

/**
 * Loads a run for a resolver (null when there is none, including malformed ids) and tells the
 * response cache whether the answer may be kept.
 */
export async function loadRun(context: Context, id: string): Promise<RunRow | null> {
  const run = isUuid(id) ? await context.loaders.run.load(id.toLowerCase()) : null;
  if (run) context.cacheScope?.dependOnRun(run.id, isFinished(run));
  else context.cacheScope?.uncacheable();
  return run;
}

/** A pipeline run as stored. */
export const Run = builder.objectRef<RunRow>('Run').implement({
  description: 'One pipeline run: its configuration, source, reference and totals.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: RunStatus, resolve: (run) => run.status }),
    source: t.field({ type: ReadSource, resolve: (run) => run.source }),
    mode: t.field({
      type: CallingMode,
      description: "How the run calls variants (its configuration's mode; runs stored before modes were GERMLINE).",
      resolve: (run) => (run.config.mode === 'POPULATION' ? 'POPULATION' : 'GERMLINE'),
    }),
    config: t.string({
      description: 'The run configuration as JSON (file names only for operators).',
      resolve: (run, _args, context) => {
        if (context.role === 'operator') return JSON.stringify(run.config);
        const shown = Object.fromEntries(Object.entries(run.config).filter(([key]) => !FILE_KEYS.includes(key)));
        return JSON.stringify(shown);
      },
    }),
    referenceName: t.exposeString('referenceName'),
    referenceLength: t.field({ type: 'SafeInt', resolve: (run) => run.referenceLength }),
    error: t.exposeString('error', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
    finished: t.boolean({
      description: 'True once the run has ended; its results no longer change.',
      resolve: (run) => isFinished(run),
    }),
    readsProduced: t.field({ type: 'SafeInt', resolve: (run) => run.readsProduced }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (run) => run.readsAnalysed }),
    batchesAnalysed: t.exposeInt('batchesAnalysed'),
    variantsConfirmed: t.exposeInt('variantsConfirmed'),
    samples: t.field({
      type: [Sample],
      description: "The run's samples in the order they were first seen, figures stored about once a second.",
      resolve: (run, _args, context) => context.loaders.samples.load(run.id),
    }),
    warnings: t.field({
      type: [RunWarning],
      description: `The faults the run met and went on from, newest first (its latest ${RUN_WARNINGS_SHOWN}); also in the log.`,
      resolve: (run, _args, context) => context.loaders.warnings.load(run.id),
    }),
    vcfPath: t.string({
      description: "Where to download the run's confirmed variants as VCF 4.3 (viewer key).",
      resolve: (run) => `/runs/${run.id}/variants.vcf`,
    }),
  }),
});

/** A run's totals, live while it goes on. */
const RunStats = builder.objectRef<RunRow & { live: boolean }>('RunStats').implement({
  description: 'Totals of one run: live from the pipeline while it goes on, stored once it has ended.',
  fields: (t) => ({
    runId: t.exposeID('id'),
    status: t.field({ type: RunStatus, resolve: (run) => run.status }),
    live: t.exposeBoolean('live', { description: 'True while the figures come from the running pipeline.' }),
    readsProduced: t.field({ type: 'SafeInt', resolve: (run) => run.readsProduced }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (run) => run.readsAnalysed }),
    batchesAnalysed: t.field({ type: 'SafeInt', resolve: (run) => run.batchesAnalysed }),
    variantsConfirmed: t.field({ type: 'SafeInt', resolve: (run) => run.variantsConfirmed }),
    durationSeconds: t.float({
      description: 'From start to stop (or to now while running).',
      resolve: (run) => ((run.stoppedAt ?? new Date()).getTime() - run.startedAt.getTime()) / 1_000,
    }),
    readsPerSecond: t.float({
      description: 'Reads analysed per second over the whole run.',
      resolve: (run) => {
        const seconds = ((run.stoppedAt ?? new Date()).getTime() - run.startedAt.getTime()) / 1_000;
        return seconds > 0 ? run.readsAnalysed / seconds : 0;
      },
    }),
  }),
});

const RunFilter = builder.inputType('RunFilter', {
  fields: (t) => ({
    status: t.field({ type: [RunStatus], required: false, description: 'Only runs in one of these states.' }),
  }),
});

builder.queryFields((t) => ({
  runs: t.connection(
    {
      type: Run,
      description: 'Runs, newest first.',
      args: { filter: t.arg({ type: RunFilter, required: false }) },
      resolve: async (_root, args, context) => {
        requireRole(context.role, 'viewer');
        context.cacheScope?.uncacheable();
        const filter = { status: args.filter?.status ?? undefined };
        const request = keysetRequest(args, RUN_ORDERS.NEWEST as never);
        const page = await context.reads.runsPage(filter, request);
        return toConnection(page, RUN_ORDERS.NEWEST, request, () => context.reads.runsCount(filter));
      },
    },
    {
      name: 'RunConnection',
      fields: (connection) => ({
        totalCount: connection.field({
          type: 'SafeInt',
          description: 'How many items match the filter, across all pages.',
          resolve: (page) => page.totalCount(),
        }),
      }),
    },
    { name: 'RunEdge' },
  ),
  run: t.field({
    type: Run,
    nullable: true,
    description: 'One run by id; null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => {
      requireRole(context.role, 'viewer');
      return loadRun(context, String(id));
    },
  }),
  stats: t.field({
    type: RunStats,
    nullable: true,
    description: "A run's totals; null when there is no such run.",
    args: { runId: t.arg.id({ required: true }) },
    resolve: async (_root, { runId }, context) => {
      requireRole(context.role, 'viewer');
      const run = await loadRun(context, String(runId));
      if (!run) return null;
      const pipeline = context.pipeline;
      if (pipeline.run?.id !== run.id || isFinished(run)) return { ...run, live: false };
      const metrics = pipeline.metrics();
      return {
        ...run,
        live: true,
        readsProduced: metrics.readsProduced,
        readsAnalysed: metrics.readsAnalysed,
        batchesAnalysed: metrics.batchesAnalysed,
        variantsConfirmed: metrics.variantsConfirmed,
      };
    },
  }),
}));
