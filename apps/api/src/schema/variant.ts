import type { VariantCall } from '@helix/native';
import type { CallFigures } from '../interpret/call-figures.js';
import type { AlarmTiming } from '../pipeline/events.js';
import { parseVariantId, variantId } from '../read-model/ids.js';
import type { StoredFrequencyPoint, VariantRow } from '../read-model/rows.js';
import { isUuid } from '../read-model/sql.js';
import { VARIANT_ORDERS, type VariantFilter as VariantFilterShape } from '../read-model/variants.js';
import { builder } from './builder.js';
import { Consequence, VariantEffect } from './effects.js';
import { badUserInput, requireRole } from './errors.js';
import { emptyConnection, keysetRequest, selectedNodeFields, toConnection } from './pagination.js';
import { loadRun, Run } from './run.js';

export const VariantType = builder.enumType('VariantType', {
  values: ['SNV', 'INSERTION', 'DELETION'] as const,
});

export const VariantStatus = builder.enumType('VariantStatus', {
  description: 'CANDIDATE: evidence so far falls short of the thresholds; CONFIRMED: it passes them.',
  values: ['CANDIDATE', 'CONFIRMED'] as const,
});

const VariantOrder = builder.enumType('VariantOrder', {
  description: 'How variant calls are ordered.',
  values: {
    POSITION: { description: 'By run, then contig, position, ref and alt (genome order).' },
    QUALITY: { description: 'Highest quality first.' },
    ALLELE_FREQUENCY: { description: 'Highest allele frequency first.' },
    DEPTH: { description: 'Deepest coverage first.' },
    FIRST_SEEN: { description: 'In the order they were first called, oldest first.' },
  } as const,
});

/** The interpretation of a variant, as the interpreter stored it. */
interface InterpretationShape {
  source: string;
  body: Record<string, unknown>;
  at: Date | null;
}

const CallFiguresRef = builder.objectRef<Pick<CallFigures, 'alleleFrequency' | 'depth'>>('CallFigures').implement({
  description: 'The call figures an interpretation was written for.',
  fields: (t) => ({ alleleFrequency: t.exposeFloat('alleleFrequency'), depth: t.exposeInt('depth') }),
});

const Interpretation = builder.objectRef<InterpretationShape>('Interpretation').implement({
  description: 'What a variant probably means.',
  fields: (t) => ({
    source: t.string({ description: '"rules" or the name of the model that wrote it.', resolve: (it) => it.source }),
    summary: t.string({
      resolve: (it) => (typeof it.body.summary === 'string' ? it.body.summary : JSON.stringify(it.body)),
    }),
    significance: t.string({
      nullable: true,
      description: "The model's clinical significance class; null for the rules' interpretation.",
      resolve: (it) => (typeof it.body.significance === 'string' ? it.body.significance : null),
    }),
    details: t.string({ description: 'The whole interpretation as JSON.', resolve: (it) => JSON.stringify(it.body) }),
    interpretedAt: t.field({ type: 'DateTime', nullable: true, resolve: (it) => it.at }),
    writtenFor: t.field({
      type: CallFiguresRef,
      nullable: true,
      description:
        'The allele frequency and depth its summary speaks of (the call may have moved since); null when stored before they were.',
      resolve: (it) => (it.body.writtenFor as CallFigures | undefined) ?? null,
    }),
  }),
});

/** A variant as served: a stored row, or a live alarm with its timing (its file's arrival and read count are stored). */
export type VariantNode = VariantRow & Omit<AlarmTiming, 'fileArrivedAt' | 'readsUntilDetection'>;

const AlleleFrequencyPoint = builder.objectRef<StoredFrequencyPoint>('AlleleFrequencyPoint').implement({
  description: "A call's allele frequency and depth at one moment of its run.",
  fields: (t) => ({
    readsAnalysed: t.field({
      type: 'SafeInt',
      description: 'Reads of the sample analysed by then.',
      resolve: (point) => point.readsAnalysed,
    }),
    alleleFrequency: t.exposeFloat('alleleFrequency'),
    depth: t.exposeInt('depth'),
    at: t.field({ type: 'DateTime', resolve: (point) => new Date(point.at) }),
  }),
});

/** A variant call: stored, or announced live by the pipeline (then with its alarm's timing). */
export const Variant = builder.objectRef<VariantNode>('Variant').implement({
  description: 'One variant call of a sample of a run at one site (contig, position, ref, alt).',
  fields: (t) => ({
    id: t.id({
      description: 'Opaque; the same for the live alarm and the stored call.',
      resolve: (variant) => variantId(variant),
    }),
    runId: t.exposeID('runId'),
    sample: t.exposeString('sample', { description: 'The sample called: barcode or sample name, its VCF column.' }),
    run: t.field({
      type: Run,
      resolve: async (variant, _args, context) => {
        const run = await loadRun(context, variant.runId);
        if (!run) throw new Error(`run ${variant.runId} of a variant is missing`);
        return run;
      },
    }),
    contig: t.exposeString('contig'),
    position: t.exposeInt('position', { description: '1-based, VCF convention (indels include the anchor base).' }),
    ref: t.exposeString('ref'),
    alt: t.exposeString('alt'),
    type: t.field({ type: VariantType, resolve: (variant) => variant.type }),
    genotype: t.exposeString('genotype', { nullable: true }),
    depth: t.exposeInt('depth'),
    altCount: t.exposeInt('altCount'),
    alleleFrequency: t.exposeFloat('alleleFrequency'),
    quality: t.exposeFloat('quality', { description: 'Phred-scaled quality of the call.' }),
    forwardAltCount: t.exposeInt('forwardAltCount', {
      description: 'Forward-strand reads showing the alternate allele (VCF ADF).',
    }),
    reverseAltCount: t.exposeInt('reverseAltCount', {
      description: 'Reverse-strand reads showing the alternate allele (VCF ADR).',
    }),
    forwardRefCount: t.exposeInt('forwardRefCount', { description: 'Forward-strand reads showing the reference.' }),
    reverseRefCount: t.exposeInt('reverseRefCount', { description: 'Reverse-strand reads showing the reference.' }),
    strandBias: t.exposeFloat('strandBias', {
      nullable: true,
      description: 'Phred-scaled Fisher strand-bias p-value (VCF INFO/SB); null when one strand has no reads.',
    }),
    filters: t.exposeStringList('filters', {
      description: 'VCF FILTER values the call fails (LowQual, LowDepth, StrandBias); empty when it passes.',
    }),
    alleleFrequencyHistory: t.field({
      type: [AlleleFrequencyPoint],
      description:
        'The allele frequency and depth as the run went on, oldest first: a point when the frequency moved by ' +
        '0.05 or more, or the depth doubled, at most about a hundred; the last point is the call as it stands.',
      resolve: (variant) => variant.alleleFrequencyHistory,
    }),
    status: t.field({ type: VariantStatus, resolve: (variant) => variant.status }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
    fileArrivedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the file holding the read that tipped the call arrived (its modification time; the latest among ' +
        "the sample's files analysed at its first confirmation). DIRECTORY runs only: on the live alarm and " +
        'stored with the call; null otherwise.',
      resolve: (variant) => variant.fileArrivedAt,
    }),
    detectedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the alarm went out. Only on the live alarm; null on stored calls (see confirmedAt).',
      resolve: (variant) => variant.detectedAt ?? null,
    }),
    readsUntilDetection: t.field({
      type: 'SafeInt',
      nullable: true,
      description:
        'Reads of the sample analysed when the call was first confirmed (stored with it); null while a candidate.',
      resolve: (variant) => variant.readsUntilDetection ?? null,
    }),
    effects: t.field({
      type: [VariantEffect],
      description: 'What the call does to genes, most severe first; empty when its run has no annotation.',
      resolve: (variant) => variant.effects,
    }),
    interpretation: t.field({
      type: Interpretation,
      nullable: true,
      description: 'Null until the variant has been interpreted.',
      resolve: (variant) =>
        variant.interpretation && typeof variant.interpretation === 'object'
          ? {
              source: variant.interpretationSource ?? 'rules',
              body: variant.interpretation as Record<string, unknown>,
              at: variant.interpretedAt,
            }
          : null,
    }),
  }),
});

/** The VCF FILTER values a call may fail. */
const CALL_FILTERS: readonly VariantCall['filters'][number][] = ['LowQual', 'LowDepth', 'StrandBias'];

/** The most gene names one filter may list. */
const MAX_FILTER_GENES = 100;
/** The longest gene name a filter may give. */
const MAX_GENE_NAME = 256;

const VariantFilter = builder.inputType('VariantFilter', {
  description: 'Which variant calls to list; every condition given must hold.',
  fields: (t) => ({
    runId: t.id({ required: false }),
    sample: t.string({ required: false, description: 'Only calls of this sample.' }),
    types: t.field({ type: [VariantType], required: false }),
    status: t.field({ type: VariantStatus, required: false }),
    minQuality: t.float({ required: false }),
    maxQuality: t.float({ required: false }),
    minAlleleFrequency: t.float({ required: false }),
    maxAlleleFrequency: t.float({ required: false }),
    minDepth: t.int({ required: false }),
    contig: t.string({ required: false }),
    positionFrom: t.int({ required: false, description: 'Inclusive, 1-based.' }),
    positionTo: t.int({ required: false, description: 'Inclusive, 1-based.' }),
    from: t.field({ type: 'DateTime', required: false, description: 'First seen at or after this time.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'First seen before this time.' }),
    genes: t.stringList({
      required: false,
      description: `Only calls with an effect on one of these genes (at most ${MAX_FILTER_GENES}).`,
    }),
    consequences: t.field({
      type: [Consequence],
      required: false,
      description: 'Only calls with an effect of one of these consequences.',
    }),
    mutationsOfConcernOnly: t.boolean({
      required: false,
      description: 'Only calls that match an entry of the mutations-of-concern list.',
    }),
    filters: t.stringList({
      required: false,
      description: 'Only calls failing one of these VCF FILTER values (LowQual, LowDepth, StrandBias).',
    }),
    passOnly: t.boolean({ required: false, description: 'Only calls that fail no filter (VCF PASS).' }),
  }),
});

/** The filter's genes, bounded; rejects naming the field at fault. */
function filterGenes(genes: readonly string[] | null | undefined): string[] | undefined {
  if (genes == null) return undefined;
  if (genes.length > MAX_FILTER_GENES) {
    throw badUserInput(`filter.genes takes at most ${MAX_FILTER_GENES} genes`, 'filter.genes');
  }
  genes.forEach((gene, index) => {
    if (gene.length === 0 || gene.length > MAX_GENE_NAME) {
      throw badUserInput(`filter.genes.${index} must be 1 to ${MAX_GENE_NAME} characters`, `filter.genes.${index}`);
    }
  });
  return [...new Set(genes)];
}

/** The filter's VCF FILTER values, each a known one; rejects naming the field at fault. */
function callFilters(filters: readonly string[] | null | undefined): string[] | undefined {
  if (filters == null) return undefined;
  filters.forEach((filter, index) => {
    if (!(CALL_FILTERS as readonly string[]).includes(filter)) {
      throw badUserInput(
        `filter.filters.${index} must be one of ${CALL_FILTERS.join(', ')}`,
        `filter.filters.${index}`,
      );
    }
  });
  return [...new Set(filters)];
}

const nullable = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

builder.queryFields((t) => ({
  variants: t.connection(
    {
      type: Variant,
      description: 'Variant calls, filtered and ordered (POSITION by default); at most 100 a page.',
      args: {
        filter: t.arg({ type: VariantFilter, required: false }),
        orderBy: t.arg({ type: VariantOrder, required: false, defaultValue: 'POSITION' }),
      },
      resolve: async (_root, args, context, info) => {
        requireRole(context.role, 'viewer');
        const given = args.filter;
        const filter: VariantFilterShape = {
          runId: given?.runId == null ? undefined : String(given.runId),
          sample: nullable(given?.sample),
          types: nullable(given?.types),
          status: nullable(given?.status),
          minQuality: nullable(given?.minQuality),
          maxQuality: nullable(given?.maxQuality),
          minAlleleFrequency: nullable(given?.minAlleleFrequency),
          maxAlleleFrequency: nullable(given?.maxAlleleFrequency),
          minDepth: nullable(given?.minDepth),
          contig: nullable(given?.contig),
          positionFrom: nullable(given?.positionFrom),
          positionTo: nullable(given?.positionTo),
          from: nullable(given?.from),
          to: nullable(given?.to),
          genes: filterGenes(given?.genes),
          consequences: given?.consequences == null ? undefined : [...new Set(given.consequences)],
          mutationsOfConcernOnly: nullable(given?.mutationsOfConcernOnly),
          filters: callFilters(given?.filters),
          passOnly: nullable(given?.passOnly),
        };
        // The list of concern changes apart from any run: an answer filtered by it is never cached.
        if (filter.mutationsOfConcernOnly) context.cacheScope?.uncacheable();
        const orderName = args.orderBy ?? 'POSITION';
        const order = VARIANT_ORDERS[orderName];
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
        const page = await context.reads.variantsPage(filter, orderName, request, selectedNodeFields(info));
        return toConnection(page, order, request, () => context.reads.variantsCount(filter, run ?? undefined));
      },
    },
    {
      name: 'VariantConnection',
      fields: (connection) => ({
        totalCount: connection.field({
          type: 'SafeInt',
          description: 'How many items match the filter, across all pages.',
          resolve: (page) => page.totalCount(),
        }),
      }),
    },
    { name: 'VariantEdge' },
  ),
  variant: t.field({
    type: Variant,
    nullable: true,
    description: 'One variant call by id; null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      requireRole(context.role, 'viewer');
      const key = parseVariantId(String(id));
      if (!key || !isUuid(key.runId)) return null;
      const run = await loadRun(context, key.runId);
      if (!run) return null;
      const variant = await context.reads.variantByKey(key);
      if (!variant) context.cacheScope?.uncacheable();
      return variant;
    },
  }),
}));
