import type { AnnotationFeature, DepthInterval } from '@helix/native';
import { GenomeArgumentError, MAX_COVERAGE_BINS, MAX_GENOME_FEATURES, MAX_REFERENCE_BASES } from '../genome/bounds.js';
import type { Coverage as CoverageShape } from '../genome/coverage.js';
import { RunGenome } from '../genome/run-genome.js';
import { builder, type Context } from './builder.js';
import { badUserInput, requireRole } from './errors.js';
import { loadRun, Run } from './run.js';
import { Sample } from './sample.js';

/** Most low-coverage regions one sample lists. */
const MAX_LOW_COVERAGE_REGIONS = 10_000;

/** The genome of run `runId` as a client views it (live when the run goes on here), or null when there is no such run. */
export async function runGenome(context: Context, runId: string): Promise<RunGenome | null> {
  const run = await loadRun(context, runId);
  if (!run) return null;
  const live = context.pipeline.liveGenome?.(run.id);
  // Live figures move: an answer from the pileups is never kept.
  if (live) context.cacheScope?.uncacheable();
  return new RunGenome(run, context.reads.genome, live);
}

/** Runs `answer`, turning an argument out of bounds into a BAD_USER_INPUT error naming it. */
async function checked<T>(answer: () => Promise<T>): Promise<T> {
  try {
    return await answer();
  } catch (error) {
    if (error instanceof GenomeArgumentError) throw badUserInput(error.message, error.field);
    throw error;
  }
}

const Coverage = builder.objectRef<CoverageShape>('Coverage').implement({
  description:
    "One sample's depth along a stretch of a contig in bins of binSize bases (the last may hold fewer), as its calls count depth.",
  fields: (t) => ({
    contig: t.exposeString('contig'),
    from: t.exposeInt('from', { description: 'First position (1-based).' }),
    to: t.exposeInt('to', { description: 'Last position (1-based, inclusive).' }),
    binSize: t.exposeInt('binSize', { description: 'Bases per bin.' }),
    depths: t.exposeFloatList('depths', { description: 'Mean depth of each bin.' }),
    maxDepths: t.exposeFloatList('maxDepths', { description: 'Largest depth of each bin.' }),
  }),
});

const Contig = builder.objectRef<{ name: string; length: number }>('Contig').implement({
  description: 'One sequence of a reference.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'First word of its FASTA header (its VCF CHROM).' }),
    length: t.exposeInt('length', { description: 'Bases.' }),
  }),
});

const Strand = builder.enumType('Strand', {
  description: 'The strand a gene is read on.',
  values: ['FORWARD', 'REVERSE'] as const,
});

const GenomeFeature = builder.objectRef<AnnotationFeature>('GenomeFeature').implement({
  description: "A gene's transcript (a CDS or a non-coding RNA) where it lies on its contig.",
  fields: (t) => ({
    gene: t.string({ nullable: true, resolve: (feature) => feature.gene ?? null }),
    locusTag: t.string({ nullable: true, resolve: (feature) => feature.locusTag ?? null }),
    product: t.string({ nullable: true, resolve: (feature) => feature.product ?? null }),
    kind: t.exposeString('kind', {
      description: '"CDS" for a protein-coding transcript, else its biotype (rRNA, tRNA…).',
    }),
    strand: t.field({ type: Strand, resolve: (feature) => feature.strand }),
    from: t.exposeInt('from', { description: 'First base (1-based, the lower coordinate).' }),
    to: t.exposeInt('to', { description: 'Last base (1-based, inclusive).' }),
  }),
});

const GenomeInterval = builder.objectRef<DepthInterval>('GenomeInterval').implement({
  description: 'A stretch of one contig, 1-based and inclusive.',
  fields: (t) => ({
    contig: t.exposeString('contig'),
    from: t.int({ resolve: (interval) => interval.start }),
    to: t.int({ resolve: (interval) => interval.end }),
  }),
});

builder.objectField(Run, 'contigs', (t) =>
  t.field({
    type: [Contig],
    description: "The reference's contigs with their lengths, in reference order.",
    resolve: (run, _args, context) =>
      new RunGenome(run, context.reads.genome, context.pipeline.liveGenome?.(run.id)).contigs,
  }),
);

builder.objectFields(Sample, (t) => ({
  breadth1x: t.exposeFloat('breadth1x', {
    description: 'Fraction of reference positions (0–1) covered by at least one read.',
  }),
  breadth100x: t.exposeFloat('breadth100x', {
    description: 'Fraction of reference positions (0–1) covered by at least a hundred reads.',
  }),
  lowCoverageRegions: t.field({
    type: [GenomeInterval],
    description:
      "The first stretches of the reference (over every contig, in reference order) where the sample's depth is below the run's minimum depth, where its consensus is N; live while the run goes on, stored every few seconds otherwise.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 100, description: `From 1 to ${MAX_LOW_COVERAGE_REGIONS}.` }),
    },
    resolve: async (sample, { first }, context) => {
      const count = first ?? 100;
      if (!Number.isInteger(count) || count < 1 || count > MAX_LOW_COVERAGE_REGIONS) {
        throw badUserInput(`first must be a whole number from 1 to ${MAX_LOW_COVERAGE_REGIONS}, got ${count}`, 'first');
      }
      const genome = await runGenome(context, sample.runId);
      return (await genome?.lowDepthIntervals(sample.name))?.slice(0, count) ?? [];
    },
  }),
}));

builder.queryFields((t) => ({
  coverage: t.field({
    type: Coverage,
    nullable: true,
    description:
      "A sample's depth over from..to of a contig in up to `bins` bins: at any resolution, down to single bases, from the pileup while the run goes on; from the stored bins (about 20,000 a contig, written every few seconds and at the run's end) otherwise, never finer than they are. Null for an unknown run, or a sample with no coverage (yet).",
    args: {
      runId: t.arg.id({ required: true }),
      sample: t.arg.string({ required: true }),
      contig: t.arg.string({ required: true }),
      from: t.arg.int({ required: true, description: 'First position (1-based).' }),
      to: t.arg.int({ required: true, description: 'Last position (1-based, inclusive).' }),
      bins: t.arg.int({ required: true, defaultValue: 500, description: `From 1 to ${MAX_COVERAGE_BINS}.` }),
    },
    resolve: async (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const genome = await runGenome(context, String(args.runId));
      if (!genome) return null;
      return checked(() => genome.coverage(args.sample, args.contig, args.from, args.to, args.bins));
    },
  }),
  genomeFeatures: t.field({
    type: [GenomeFeature],
    description: `The genes over from..to of a contig, by first base (at most ${MAX_GENOME_FEATURES}); empty for an unknown run or one without annotation.`,
    args: {
      runId: t.arg.id({ required: true }),
      contig: t.arg.string({ required: true }),
      from: t.arg.int({ required: true, description: 'First position (1-based).' }),
      to: t.arg.int({ required: true, description: 'Last position (1-based, inclusive).' }),
    },
    resolve: async (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const genome = await runGenome(context, String(args.runId));
      if (!genome) return [];
      return checked(() => genome.features(args.contig, args.from, args.to));
    },
  }),
  referenceBases: t.string({
    nullable: true,
    description: `The reference's bases from..to of a contig (at most ${MAX_REFERENCE_BASES}); null for an unknown run or when its reference cannot be read again.`,
    args: {
      runId: t.arg.id({ required: true }),
      contig: t.arg.string({ required: true }),
      from: t.arg.int({ required: true, description: 'First position (1-based).' }),
      to: t.arg.int({ required: true, description: 'Last position (1-based, inclusive).' }),
    },
    resolve: async (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const genome = await runGenome(context, String(args.runId));
      if (!genome) return null;
      return (await checked(() => genome.bases(args.contig, args.from, args.to))) ?? null;
    },
  }),
}));
