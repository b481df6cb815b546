import { GraphQLError } from 'graphql';
import { filter, pipe, Repeater } from 'graphql-yoga';
import { AnnotationLoadError } from '../annotate/run-annotation.js';
import { ForbiddenInputFileError, resolveInputDirectory, resolveInputFile } from '../auth/input-files.js';
import {
  DEFAULT_RUN_CONFIG,
  InvalidRunConfigError,
  POPULATION_MIN_ALLELE_FREQUENCY,
  type RunConfigInput,
} from '../pipeline/config.js';
import type { PipelineState as PipelineStateKind, PipelineStatusChange } from '../pipeline/events.js';
import { PipelineAlreadyRunningError, PipelineNotRunningError } from '../pipeline/pipeline.js';
import { InvalidWaterMarksError } from '../pipeline/queue.js';
import type { MetricsEvent } from '../pubsub/events.js';
import { builder, type Context } from './builder.js';
import { badUserInput, ErrorCode, InvalidInputError, requireRole } from './errors.js';
import { CallingMode, loadRun, ReadSource, Run } from './run.js';

export const PipelineState = builder.enumType('PipelineState', {
  values: {
    IDLE: { description: 'No run is going on.' },
    RUNNING: { description: 'A run is going on and the producer runs freely.' },
    THROTTLED: { description: 'The queue passed high-water: the producer is paused until it falls below low-water.' },
    STOPPING: { description: 'The run is stopping (draining, when asked to).' },
  } as const,
});

/** A snapshot of the live pipeline, metrics included. */
interface PipelineSnapshot {
  state: PipelineStateKind;
  runId: string | undefined;
  metrics: MetricsEvent;
}

function snapshot(context: Context): PipelineSnapshot {
  const { pipeline } = context;
  const runId = pipeline.run?.id;
  return { state: pipeline.state, runId, metrics: { ...pipeline.metrics(), state: pipeline.state, runId } };
}

/** The live metrics of the pipeline, as queried and as published every tick. */
export const QueueMetrics = builder.objectRef<MetricsEvent>('QueueMetrics').implement({
  description: 'One snapshot of the live pipeline: queue, rates, totals and latency.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the snapshot was taken.' }),
    state: t.field({ type: PipelineState, resolve: (metrics) => metrics.state }),
    runId: t.exposeID('runId', { nullable: true }),
    throttled: t.exposeBoolean('throttled'),
    throttleEvents: t.exposeInt('throttleEvents', { description: 'Times the run has been throttled so far.' }),
    queueDepth: t.exposeInt('queueDepth', { description: 'Batches waiting in the queue.' }),
    inFlight: t.exposeInt('inFlight', { description: 'Batches inside a detector now.' }),
    highWater: t.exposeInt('highWater'),
    lowWater: t.exposeInt('lowWater'),
    ingestionRate: t.exposeFloat('ingestionRate', { description: 'Reads per second taken from the producer.' }),
    processingRate: t.exposeFloat('processingRate', { description: 'Reads per second analysed.' }),
    readsProduced: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.readsProduced }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.readsAnalysed }),
    readsQueued: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.readsQueued }),
    readsInFlight: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.readsInFlight }),
    readsDiscarded: t.field({
      type: 'SafeInt',
      description: 'Reads dropped by a stop without drain.',
      resolve: (metrics) => metrics.readsDiscarded,
    }),
    batchesProduced: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.batchesProduced }),
    batchesAnalysed: t.field({ type: 'SafeInt', resolve: (metrics) => metrics.batchesAnalysed }),
    sinkLag: t.exposeInt('sinkLag', { description: 'Rows produced but not yet stored.' }),
    latencyP50Ms: t.exposeFloat('latencyP50Ms', { nullable: true, description: 'Queue-to-analysed latency.' }),
    latencyP99Ms: t.exposeFloat('latencyP99Ms', { nullable: true }),
    variantsConfirmed: t.exposeInt('variantsConfirmed'),
    filesWaiting: t.exposeInt('filesWaiting', {
      description: "Complete files in a DIRECTORY run's folder not taken yet: the backlog waiting on disk.",
    }),
    bytesWaiting: t.field({
      type: 'SafeInt',
      description: 'Bytes of the files waiting.',
      resolve: (metrics) => metrics.bytesWaiting,
    }),
  }),
});

const PipelineRef = builder.objectRef<PipelineSnapshot>('Pipeline').implement({
  description: 'The pipeline now: its state, water marks, run and live metrics.',
  fields: (t) => ({
    state: t.field({ type: PipelineState, resolve: (pipeline) => pipeline.state }),
    throttled: t.boolean({ resolve: (pipeline) => pipeline.metrics.throttled }),
    highWater: t.int({
      description: 'Batches queued above which the producer is paused.',
      resolve: (p) => p.metrics.highWater,
    }),
    lowWater: t.int({ description: 'Batches queued below which it resumes.', resolve: (p) => p.metrics.lowWater }),
    run: t.field({
      type: Run,
      nullable: true,
      description: 'The run going on, if any.',
      resolve: (pipeline, _args, context) => (pipeline.runId ? loadRun(context, pipeline.runId) : null),
    }),
    metrics: t.field({ type: QueueMetrics, resolve: (pipeline) => pipeline.metrics }),
  }),
});

const PipelineStatusEvent = builder.objectRef<PipelineStatusChange>('PipelineStatusEvent').implement({
  description: 'The pipeline changed state.',
  fields: (t) => ({
    state: t.field({ type: PipelineState, resolve: (change) => change.state }),
    runId: t.exposeID('runId', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
    run: t.field({
      type: Run,
      nullable: true,
      resolve: (change, _args, context) => (change.runId ? loadRun(context, change.runId) : null),
    }),
  }),
});

const StartPipelineInput = builder.inputType('StartPipelineInput', {
  description: 'A run configuration; omitted fields take the defaults shown.',
  fields: (t) => ({
    source: t.field({ type: ReadSource, required: false, defaultValue: DEFAULT_RUN_CONFIG.source }),
    referenceLength: t.field({
      type: 'SafeInt',
      required: false,
      defaultValue: DEFAULT_RUN_CONFIG.referenceLength,
      description: 'Length of the random reference of a simulated run without referencePath.',
    }),
    referencePath: t.string({
      required: false,
      description:
        "FASTA or GenBank reference, a file inside the server's input directory (operators only); a GenBank file's genes annotate the calls.",
    }),
    annotationPath: t.string({
      required: false,
      description: "GFF3 or GenBank genes to annotate confirmed calls with, inside the server's input directory.",
    }),
    geneticCode: t.int({
      required: false,
      description: "NCBI translation table for every CDS (default: the annotation's /transl_table, else 11 or 1).",
    }),
    readsPaths: t.stringList({
      required: false,
      description: "FASTQ files of a FASTQ run (one, or two mates), inside the server's input directory.",
    }),
    directory: t.string({
      required: false,
      description: "The run folder a DIRECTORY run follows until its end marker, inside the server's input directory.",
    }),
    readLength: t.int({ required: false, defaultValue: DEFAULT_RUN_CONFIG.readLength }),
    readsPerSecond: t.int({
      required: false,
      defaultValue: DEFAULT_RUN_CONFIG.readsPerSecond,
      description: 'Target reads per second; 0 means as fast as the pipeline takes them.',
    }),
    batchSize: t.int({ required: false, defaultValue: DEFAULT_RUN_CONFIG.batchSize }),
    mutationRate: t.float({ required: false, defaultValue: DEFAULT_RUN_CONFIG.mutationRate }),
    indelFraction: t.float({ required: false, defaultValue: DEFAULT_RUN_CONFIG.indelFraction }),
    errorRate: t.float({ required: false, defaultValue: DEFAULT_RUN_CONFIG.errorRate }),
    highWater: t.int({ required: false, defaultValue: DEFAULT_RUN_CONFIG.highWater }),
    lowWater: t.int({ required: false, defaultValue: DEFAULT_RUN_CONFIG.lowWater }),
    seed: t.field({ type: 'SafeInt', required: false, defaultValue: DEFAULT_RUN_CONFIG.seed }),
    totalReads: t.field({
      type: 'SafeInt',
      required: false,
      description: 'Stop a simulated run by itself after this many reads.',
    }),
    workers: t.int({ required: false, description: 'Detector threads (default: one per core).' }),
    minDepth: t.int({ required: false, defaultValue: DEFAULT_RUN_CONFIG.minDepth }),
    mode: t.field({
      type: CallingMode,
      required: false,
      defaultValue: DEFAULT_RUN_CONFIG.mode,
      description: 'GERMLINE calls genotypes; POPULATION calls allele frequencies of a mixed population.',
    }),
    minAlleleFrequency: t.float({
      required: false,
      // No default in the input: given one, a POPULATION run would take the germline minimum.
      description: `Minimum allele frequency, 0–1. Default by mode: ${DEFAULT_RUN_CONFIG.minAlleleFrequency} for GERMLINE, ${POPULATION_MIN_ALLELE_FREQUENCY} for POPULATION.`,
    }),
    minQuality: t.float({ required: false, defaultValue: DEFAULT_RUN_CONFIG.minQuality }),
    ploidy: t.int({
      required: false,
      description:
        'Chromosome copies: 1 (haploid, genotype 1: bacteria, archaea, phages) or 2 (diploid, 0/1 or 1/1). Default: 1 for a GenBank reference of bacteria, archaea or phages, else 2.',
    }),
  }),
});

/** Reads a run row just written by the pipeline. */
async function storedRun(context: Context, runId: string) {
  const [run] = await context.reads.runsById([runId]);
  if (!run) throw new Error(`run ${runId} was not stored`);
  return run;
}

/** Drops GraphQL's nulls: the pipeline's schema treats an absent field as "use the default". */
function withoutNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as never;
}

function notRunning(error: unknown): never {
  if (error instanceof PipelineNotRunningError) {
    throw new GraphQLError(error.message, { extensions: { code: ErrorCode.PipelineNotRunning } });
  }
  throw error;
}

builder.queryFields((t) => ({
  pipeline: t.field({
    type: PipelineRef,
    description: 'The pipeline now.',
    resolve: (_root, _args, context) => {
      requireRole(context.role, 'viewer');
      context.cacheScope?.uncacheable();
      return snapshot(context);
    },
  }),
}));

builder.mutationFields((t) => ({
  startPipeline: t.field({
    type: Run,
    description: "Starts a run (operators). Files may be named only inside the server's input directory.",
    errors: {
      types: [PipelineAlreadyRunningError, InvalidInputError],
      union: { name: 'StartPipelineResult' },
    },
    args: { input: t.arg({ type: StartPipelineInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requireRole(context.role, 'operator');
      const { referencePath, annotationPath, readsPaths, directory, ...rest } = withoutNulls(input);
      const config: RunConfigInput = { ...rest };
      try {
        if (referencePath !== undefined) {
          config.referencePath = await resolveInputFile(context.inputDir, referencePath, 'referencePath');
        }
        if (annotationPath !== undefined) {
          config.annotationPath = await resolveInputFile(context.inputDir, annotationPath, 'annotationPath');
        }
        if (directory !== undefined) {
          config.directory = await resolveInputDirectory(context.inputDir, directory, 'directory');
        }
        if (readsPaths !== undefined) {
          config.readsPaths = await Promise.all(
            readsPaths.map((path, index) => resolveInputFile(context.inputDir, path, `readsPaths.${index}`)),
          );
        }
      } catch (error) {
        if (error instanceof ForbiddenInputFileError) throw new InvalidInputError(error.message, error.field);
        throw error;
      }
      let handle: Awaited<ReturnType<typeof context.pipeline.start>>;
      try {
        handle = await context.pipeline.start(config);
      } catch (error) {
        if (error instanceof InvalidRunConfigError) throw new InvalidInputError(error.message, error.field);
        if (error instanceof AnnotationLoadError) throw new InvalidInputError(error.message, error.field);
        if (error instanceof ForbiddenInputFileError) throw new InvalidInputError(error.message, error.field);
        if (error instanceof PipelineAlreadyRunningError) throw error;
        // A named file that cannot be read as FASTA/FASTQ is the operator's input at fault.
        if (config.referencePath || config.readsPaths || config.directory) {
          throw new InvalidInputError(`the run could not start: ${(error as Error).message}`, 'input');
        }
        throw error;
      }
      return storedRun(context, handle.id);
    },
  }),
  stopPipeline: t.field({
    type: Run,
    description: 'Stops the run (operators); with drain, everything taken is analysed and stored first.',
    errors: {
      types: [PipelineNotRunningError],
      union: { name: 'StopPipelineResult' },
    },
    args: { drain: t.arg.boolean({ required: false, defaultValue: true }) },
    resolve: async (_root, { drain }, context) => {
      requireRole(context.role, 'operator');
      const outcome = await context.pipeline.stop(drain ?? true);
      return storedRun(context, outcome.runId);
    },
  }),
  triggerSpike: t.field({
    type: PipelineRef,
    description: "Multiplies the producer's rate for a while, to show the throttle engage and release (operators).",
    args: {
      multiplier: t.arg.float({ required: true, description: 'From 1 to 1000.' }),
      durationSeconds: t.arg.float({ required: true, description: 'More than 0, at most 3600.' }),
    },
    resolve: async (_root, { multiplier, durationSeconds }, context) => {
      requireRole(context.role, 'operator');
      if (!(multiplier >= 1 && multiplier <= 1_000))
        throw badUserInput('multiplier must be between 1 and 1000', 'multiplier');
      if (!(durationSeconds > 0 && durationSeconds <= 3_600)) {
        throw badUserInput('durationSeconds must be more than 0 and at most 3600', 'durationSeconds');
      }
      try {
        await context.pipeline.spike(multiplier, durationSeconds);
      } catch (error) {
        notRunning(error);
      }
      return snapshot(context);
    },
  }),
  updateThresholds: t.field({
    type: PipelineRef,
    description: "Changes the running run's water marks at once (operators).",
    args: {
      highWater: t.arg.int({ required: true }),
      lowWater: t.arg.int({ required: true }),
    },
    resolve: async (_root, { highWater, lowWater }, context) => {
      requireRole(context.role, 'operator');
      try {
        await context.pipeline.updateThresholds(highWater, lowWater);
      } catch (error) {
        if (error instanceof InvalidWaterMarksError) {
          throw badUserInput(error.message, error.field);
        }
        notRunning(error);
      }
      return snapshot(context);
    },
  }),
}));

/**
 * Passes one snapshot per `intervalMs` (a tenth of slack absorbs timer jitter), and every change
 * of state or throttling at once.
 */
function everyInterval(intervalMs: number) {
  let last = Number.NEGATIVE_INFINITY;
  let lastState = '';
  return (metrics: MetricsEvent) => {
    const at = metrics.at.getTime();
    const state = `${metrics.state}:${metrics.throttled}`;
    if (at - last < intervalMs * 0.9 && state === lastState) return false;
    last = at;
    lastState = state;
    return true;
  };
}

builder.subscriptionFields((t) => ({
  queueMetrics: t.field({
    type: QueueMetrics,
    description:
      'Live metrics from the one metrics stream (every 250 ms during a run, every second while idle): at most one per intervalMs, and every change of state or throttling at once.',
    args: { intervalMs: t.arg.int({ required: false, defaultValue: 250, description: 'From 100 to 60000.' }) },
    subscribe: (_root, { intervalMs }, context) => {
      requireRole(context.role, 'viewer');
      const interval = intervalMs ?? 250;
      if (interval < 100 || interval > 60_000)
        throw badUserInput('intervalMs must be between 100 and 60000', 'intervalMs');
      return pipe(context.pubsub.subscribe('metrics'), filter(everyInterval(interval)));
    },
    resolve: (metrics: MetricsEvent) => metrics,
  }),
  pipelineStatus: t.field({
    type: PipelineStatusEvent,
    description: 'The current state at once, then every change of state.',
    subscribe: (_root, _args, context) => {
      requireRole(context.role, 'viewer');
      const { pipeline, pubsub } = context;
      return new Repeater<PipelineStatusChange>(async (push, stop) => {
        const changes = pubsub.subscribe('pipelineStatus');
        void stop.then(() => changes.return?.());
        void push({ state: pipeline.state, runId: pipeline.run?.id, at: new Date() });
        for await (const change of changes) await push(change);
        stop();
      });
    },
    resolve: (change: PipelineStatusChange) => change,
  }),
}));
