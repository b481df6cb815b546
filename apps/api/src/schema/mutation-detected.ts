import type { VariantEffect } from '@helix/native';
import { filter, pipe } from 'graphql-yoga';
import type { MutationDetected } from '../pipeline/events.js';
import { builder, type Context } from './builder.js';
import { Consequence } from './effects.js';
import { requireRole } from './errors.js';
import { Variant, type VariantNode } from './variant.js';

/** A live alarm as a variant: first and last seen at its detection, not yet interpreted, with its timing. */
export function liveVariant(detected: MutationDetected): VariantNode {
  return {
    runId: detected.runId,
    sample: detected.sample,
    contig: detected.contig,
    position: detected.position,
    ref: detected.ref,
    alt: detected.alt,
    type: detected.type,
    genotype: detected.genotype,
    depth: detected.depth,
    altCount: detected.altCount,
    alleleFrequency: detected.alleleFrequency,
    quality: detected.quality,
    forwardAltCount: detected.forwardAltCount,
    reverseAltCount: detected.reverseAltCount,
    forwardRefCount: detected.forwardRefCount,
    reverseRefCount: detected.reverseRefCount,
    strandBias: detected.strandBias,
    filters: detected.filters,
    alleleFrequencyHistory: detected.alleleFrequencyHistory,
    readsUntilDetection: detected.readsUntilDetection ?? null,
    status: detected.status,
    firstSeenAt: detected.seenAt,
    lastSeenAt: detected.seenAt,
    confirmedAt: detected.status === 'CONFIRMED' ? detected.seenAt : null,
    interpretation: null,
    interpretationSource: null,
    interpretedAt: null,
    effects: detected.effects,
    fileArrivedAt: detected.fileArrivedAt ?? null,
    ...(detected.detectedAt && { detectedAt: detected.detectedAt }),
  };
}

/** Which alarms a subscriber wants; every condition given must hold. */
interface AlarmFilter {
  /** The run of the alarm (each given, as the older argument and in the filter, must name it). */
  runIds: readonly string[];
  /** The sample called. */
  sample?: string;
  /** Some effect is on one of these genes. */
  genes?: ReadonlySet<string>;
  /** Some effect has one of these consequences. */
  consequences?: ReadonlySet<VariantEffect['consequence']>;
  /** The call matches a mutation of concern. */
  mutationsOfConcernOnly: boolean;
  minAlleleFrequency?: number;
  minQuality?: number;
  /** The call fails no filter (VCF PASS). */
  passOnly: boolean;
}

const MutationDetectedFilter = builder.inputType('MutationDetectedFilter', {
  description: 'Which alarms to receive; every condition given must hold.',
  fields: (t) => ({
    runId: t.id({ required: false, description: 'Only alarms of this run.' }),
    sample: t.string({ required: false, description: 'Only alarms of this sample (barcode or sample name).' }),
    genes: t.stringList({ required: false, description: 'Only calls with an effect on one of these genes.' }),
    consequences: t.field({
      type: [Consequence],
      required: false,
      description: 'Only calls with an effect of one of these consequences.',
    }),
    mutationsOfConcernOnly: t.boolean({
      required: false,
      description: 'Only calls that match a mutation of concern (see mutationsOfConcern).',
    }),
    minAlleleFrequency: t.float({ required: false }),
    minQuality: t.float({ required: false, description: 'Only calls at least this good.' }),
    passOnly: t.boolean({ required: false, description: 'Only calls that fail no filter (VCF PASS).' }),
  }),
});

/** Whether `detected` passes `wanted`; the list of concerns is read only when the filter asks for it. */
async function wantedAlarm(detected: MutationDetected, wanted: AlarmFilter, context: Context): Promise<boolean> {
  const { genes, consequences } = wanted;
  if (wanted.runIds.some((runId) => detected.runId !== runId)) return false;
  if (wanted.sample !== undefined && detected.sample !== wanted.sample) return false;
  if (wanted.minQuality !== undefined && detected.quality < wanted.minQuality) return false;
  if (wanted.minAlleleFrequency !== undefined && detected.alleleFrequency < wanted.minAlleleFrequency) return false;
  if (wanted.passOnly && detected.filters.length > 0) return false;
  if (genes && !detected.effects.some((effect) => effect.gene !== undefined && genes.has(effect.gene))) return false;
  if (consequences && !detected.effects.some((effect) => consequences.has(effect.consequence))) return false;
  if (!wanted.mutationsOfConcernOnly) return true;
  return (await context.concerns.index()).match(detected) !== undefined;
}

/** The filter a subscription asked for, from `filter` and the older `runId` and `minQuality` arguments. */
function alarmFilter(args: {
  runId?: string | number | null;
  minQuality?: number | null;
  filter?: {
    runId?: string | number | null;
    sample?: string | null;
    genes?: string[] | null;
    consequences?: VariantEffect['consequence'][] | null;
    mutationsOfConcernOnly?: boolean | null;
    minAlleleFrequency?: number | null;
    minQuality?: number | null;
    passOnly?: boolean | null;
  } | null;
}): AlarmFilter {
  const given = args.filter;
  const runIds = [args.runId, given?.runId].flatMap((id) => (id == null ? [] : [String(id).toLowerCase()]));
  const qualities = [args.minQuality, given?.minQuality].filter((quality) => quality != null);
  return {
    runIds,
    ...(given?.sample != null && { sample: given.sample }),
    // An empty list is no condition, as in the variants query's filter.
    ...(given?.genes?.length ? { genes: new Set(given.genes) } : {}),
    ...(given?.consequences?.length ? { consequences: new Set(given.consequences) } : {}),
    mutationsOfConcernOnly: given?.mutationsOfConcernOnly ?? false,
    passOnly: given?.passOnly ?? false,
    ...(given?.minAlleleFrequency != null && { minAlleleFrequency: given.minAlleleFrequency }),
    ...(qualities.length > 0 && { minQuality: Math.max(...qualities) }),
  };
}

builder.subscriptionFields((t) => ({
  mutationDetected: t.field({
    type: Variant,
    description:
      'A variant as soon as the pipeline confirms it (the "mutation detected" alarm), filtered by `filter`. ' +
      '`runId` and `minQuality` are the older spelling of the same conditions.',
    args: {
      filter: t.arg({ type: MutationDetectedFilter, required: false }),
      runId: t.arg.id({ required: false, description: 'Only alarms of this run (or filter.runId).' }),
      minQuality: t.arg.float({
        required: false,
        description: 'Only calls at least this good (or filter.minQuality).',
      }),
    },
    subscribe: (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const wanted = alarmFilter(args);
      return pipe(
        context.pubsub.subscribe('mutationDetected'),
        filter((detected: MutationDetected) => wantedAlarm(detected, wanted, context)),
      );
    },
    resolve: (detected: MutationDetected) => liveVariant(detected),
  }),
}));
