/** The "mutation detected" alarm of the original system, as one structured log line. */
import type { Logger } from '../logger.js';
import type { MutationDetected } from '../pipeline/events.js';

/** The message of the alarm line, for log searches and alerts. */
export const MUTATION_DETECTED = 'mutation detected';

/** Logs `mutation detected` with the site, alleles, allele frequency and quality of a confirmed variant. */
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
    },
    MUTATION_DETECTED,
  );
}
