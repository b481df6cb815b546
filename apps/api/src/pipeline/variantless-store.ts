import { MemoryResultStore } from './memory-store.js';
import type { VariantRecord } from './records.js';

/**
 * A {@link MemoryResultStore} that keeps no variant rows: the store of `helix analyze` without
 * `--db`, whose VCF is written from the run's outcome and which reads no row back. Keeping them
 * held a second copy of every call at the run's end (~130 MiB for the ~91 k calls of a 100 Mbp
 * genome at 10×) beside the outcome's own. Runs, samples, coverage and analyses are kept as the
 * memory store keeps them.
 */
export class VariantlessMemoryStore extends MemoryResultStore {
  override async upsertVariants(_rows: VariantRecord[]): Promise<void> {}

  override async removeCandidatesBesides(
    _runId: string,
    _sample: string,
    _finalCalls: ReadonlySet<string>,
  ): Promise<void> {}
}
