import { filter, pipe } from 'graphql-yoga';
import type { MutationDetected } from '../pipeline/events.js';
import type { VariantRow } from '../read-model/rows.js';
import { builder } from './builder.js';
import { requireRole } from './errors.js';
import { Variant } from './variant.js';

/** A live alarm as a variant: first and last seen at its detection, not yet interpreted. */
export function liveVariant(detected: MutationDetected): VariantRow {
  return {
    runId: detected.runId,
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
    status: detected.status,
    firstSeenAt: detected.seenAt,
    lastSeenAt: detected.seenAt,
    confirmedAt: detected.status === 'CONFIRMED' ? detected.seenAt : null,
    interpretation: null,
    interpretationSource: null,
    interpretedAt: null,
    effects: detected.effects,
  };
}

builder.subscriptionFields((t) => ({
  mutationDetected: t.field({
    type: Variant,
    description: 'A variant as soon as the pipeline confirms it (the "mutation detected" alarm).',
    args: {
      runId: t.arg.id({ required: false, description: 'Only alarms of this run.' }),
      minQuality: t.arg.float({ required: false, description: 'Only calls at least this good.' }),
    },
    subscribe: (_root, args, context) => {
      requireRole(context.role, 'viewer');
      const runId = args.runId == null ? undefined : String(args.runId).toLowerCase();
      const minQuality = args.minQuality ?? undefined;
      return pipe(
        context.pubsub.subscribe('mutationDetected'),
        filter(
          (detected: MutationDetected) =>
            (runId === undefined || detected.runId === runId) &&
            (minQuality === undefined || detected.quality >= minQuality),
        ),
      );
    },
    resolve: (detected: MutationDetected) => liveVariant(detected),
  }),
}));
