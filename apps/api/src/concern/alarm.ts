import type { Logger } from '../logger.js';
import type { MutationDetected } from '../pipeline/events.js';
import type { MutationsOfConcern } from './list.js';
import type { MutationOfConcern } from './store.js';

/** The message of the alarm line for a listed mutation, for log searches and alerts. */
export const MUTATION_OF_CONCERN_DETECTED = 'mutation of concern detected';

/** Options of {@link ConcernAlarm}. */
export interface ConcernAlarmOptions {
  concerns: MutationsOfConcern;
  logger: Logger;
  /** Told once per alarm that matches a listed mutation (the Prometheus counter). */
  detected(entry: MutationOfConcern): void;
}

/**
 * The distinct alarm of a call that matches a mutation of concern: a warn line naming the run,
 * the site, the gene, the change and the label, and one count. Matching reads the list, so it
 * runs beside the "mutation detected" alarm without holding it up.
 */
export class ConcernAlarm {
  constructor(private readonly options: ConcernAlarmOptions) {}

  /** Matches `variant` against the list and raises the alarm if it is listed; never throws. */
  raise(variant: MutationDetected): void {
    void this.#raise(variant).catch((error: Error) => {
      this.options.logger.error(
        { runId: variant.runId, contig: variant.contig, position: variant.position, reason: error.message },
        'mutations of concern could not be matched',
      );
    });
  }

  async #raise(variant: MutationDetected): Promise<void> {
    const entry = (await this.options.concerns.index()).match(variant);
    if (!entry) return;
    this.options.detected(entry);
    this.options.logger.warn(
      {
        runId: variant.runId,
        contig: variant.contig,
        position: variant.position,
        ref: variant.ref,
        alt: variant.alt,
        alleleFrequency: Math.round(variant.alleleFrequency * 1_000) / 1_000,
        gene: entry.gene,
        aminoAcidChange: entry.aminoAcidChange,
        label: entry.label,
        mutationOfConcernId: entry.id,
      },
      MUTATION_OF_CONCERN_DETECTED,
    );
  }
}
