/** The "mutation detected" alarm of the original system, as one structured log line. */
import type { Logger } from '../logger.js';
import type { MutationDetected } from '../pipeline/events.js';

/** The message of the alarm line, for log searches and alerts. */
export const MUTATION_DETECTED = 'mutation detected';

/** One effect as the alarm line names it: `rpoB:S450L missense_variant`, `yaaA-yaaJ intergenic_variant`. */
function effectWords(effect: MutationDetected['effects'][number]): string {
  const where = [effect.gene ?? effect.locusTag, effect.aminoAcidChange].filter(Boolean).join(':');
  return where ? `${where} ${effect.soTerm}` : effect.soTerm;
}

/**
 * Logs `mutation detected` with the site, alleles, allele frequency and quality of a confirmed
 * variant, and its effects on genes when the run is annotated.
 */
export function logMutationDetected(logger: Logger, variant: MutationDetected): void {
  logger.info(
    {
      runId: variant.runId,
      contig: variant.contig,
      position: variant.position,
      ref: variant.ref,
      alt: variant.alt,
      type: variant.type,
      alleleFrequency: Math.round(variant.alleleFrequency * 1_000) / 1_000,
      quality: Math.round(variant.quality * 10) / 10,
      depth: variant.depth,
      ...(variant.effects.length > 0 && { effects: variant.effects.map(effectWords) }),
    },
    MUTATION_DETECTED,
  );
}
