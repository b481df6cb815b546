import type { AnnotationFeature, DepthInterval } from '@helix/native';
import { DEFAULT_RUN_CONFIG } from '../pipeline/config.js';
import type { LiveGenome, SampleCoverageSource } from '../pipeline/sample-coverage.js';
import { hasStoredCoverage, storedCoverage, storedLowDepth } from '../read-model/coverage.js';
import type { RunRow } from '../read-model/rows.js';
import {
  type ContigLength,
  checkedCount,
  checkedStretch,
  GenomeArgumentError,
  MAX_COVERAGE_BINS,
  MAX_GENOME_FEATURES,
  MAX_REFERENCE_BASES,
} from './bounds.js';
import { type Coverage, rebinStored } from './coverage.js';
import type { GenomeStores } from './genome-stores.js';

/**
 * Bases a live run's coverage is read in at base resolution, per call to its pileup: each call after
 * a batch was merged sums the pileup's depths again, so fewer, larger pieces cost less.
 */
const LIVE_CHUNK_BASES = 500_000;

/**
 * One run's genome as a client views it: coverage, genes, reference bases and low-depth stretches,
 * from the run's pileups while it goes on in this process ({@link LiveGenome}), else from what is
 * stored. Arguments are checked against the run's contigs and the bounds of `bounds.ts`.
 */
export class RunGenome {
  constructor(
    readonly run: RunRow,
    private readonly stores: GenomeStores,
    readonly live: LiveGenome | undefined,
  ) {}

  /** The run's contigs with their lengths, in reference order. */
  get contigs(): ContigLength[] {
    if (this.live) return this.live.reference.contigs.map(({ name, length }) => ({ name, length }));
    if (this.run.contigs.length > 0) return this.run.contigs;
    // Runs stored before contigs were kept name a single-contig reference only.
    return /^\d+ contigs$/.test(this.run.referenceName)
      ? []
      : [{ name: this.run.referenceName, length: this.run.referenceLength }];
  }

  /** The depth under which the run's consensus is `N` (its minimum depth). */
  get minDepth(): number {
    if (this.live) return this.live.minDepth;
    const configured = this.run.config.minDepth;
    return typeof configured === 'number' ? configured : DEFAULT_RUN_CONFIG.minDepth;
  }

  /** The sample's live pileup, when the run goes on here and has met it. */
  #liveSample(sample: string): SampleCoverageSource | undefined {
    return this.live?.sample(sample);
  }

  /**
   * Depth of `sample` over `from..=to` of `contig` in up to `bins` bins: any resolution from the
   * live pileup, no finer than the stored bins otherwise; null when the sample has no coverage.
   */
  async coverage(sample: string, contig: string, from: number, to: number, bins: number): Promise<Coverage | null> {
    checkedCount(bins, 'bins', MAX_COVERAGE_BINS);
    const { length } = checkedStretch(this.contigs, contig, from, to);
    if (this.live) {
      const pileup = this.#liveSample(sample);
      return pileup ? pileup.coverageBins(contig, from, to, bins) : null;
    }
    const stored = await storedCoverage(this.stores.pool, this.run.id, sample, contig);
    return stored ? rebinStored(stored, length, from, to, bins) : null;
  }

  /**
   * The sample's coverage of one whole contig at the finest resolution there is, in pieces: base
   * by base from the live pileup, the stored bins otherwise. Yields nothing when it has none.
   */
  async *contigCoverage(sample: string, contig: ContigLength): AsyncGenerator<Coverage> {
    const pileup = this.#liveSample(sample);
    if (this.live) {
      if (!pileup) return;
      for (let from = 1; from <= contig.length; from += LIVE_CHUNK_BASES) {
        const to = Math.min(contig.length, from + LIVE_CHUNK_BASES - 1);
        yield pileup.coverageBins(contig.name, from, to, to - from + 1);
      }
      return;
    }
    const stored = await storedCoverage(this.stores.pool, this.run.id, sample, contig.name);
    if (stored) yield rebinStored(stored, contig.length, 1, contig.length, stored.depths.length);
  }

  /** Whether the sample has coverage to show (met by the live run, or stored). */
  async hasCoverage(sample: string): Promise<boolean> {
    if (this.live) return this.#liveSample(sample) !== undefined;
    return hasStoredCoverage(this.stores.pool, this.run.id, sample);
  }

  /** The sample's maximal stretches below the run's minimum depth, over every contig in reference order. */
  async lowDepthIntervals(sample: string): Promise<DepthInterval[]> {
    if (this.live) return this.#liveSample(sample)?.lowDepthIntervals(this.live.minDepth) ?? [];
    const rows = await storedLowDepth(this.stores.pool, this.run.id, sample);
    return rows.flatMap(({ contig, lowDepth }) => {
      const intervals: DepthInterval[] = [];
      for (let index = 0; index + 1 < lowDepth.length; index += 2) {
        intervals.push({ contig, start: lowDepth[index] as number, end: lowDepth[index + 1] as number });
      }
      return intervals;
    });
  }

  /** The genes over `from..=to` of `contig` by first base, at most {@link MAX_GENOME_FEATURES}; none without annotation. */
  async features(contig: string, from: number, to: number): Promise<AnnotationFeature[]> {
    checkedStretch(this.contigs, contig, from, to);
    const genes = this.live ? this.live.annotation : await this.stores.genes.of(this.run.id, this.run.config);
    return genes?.featuresWithin(contig, from, to, MAX_GENOME_FEATURES) ?? [];
  }

  /** The reference's bases `from..=to` of `contig` (at most {@link MAX_REFERENCE_BASES}); undefined when the reference cannot be had. */
  async bases(contig: string, from: number, to: number): Promise<string | undefined> {
    checkedStretch(this.contigs, contig, from, to);
    if (to - from + 1 > MAX_REFERENCE_BASES) {
      throw new GenomeArgumentError(
        `from..to spans ${to - from + 1} bases; at most ${MAX_REFERENCE_BASES} are served at once`,
        'to',
      );
    }
    return this.#slice(contig, from, to);
  }

  /** The whole contig's bases, or undefined when the reference cannot be had. */
  contigSequence(contig: ContigLength): Promise<string | undefined> {
    return this.#slice(contig.name, 1, contig.length);
  }

  async #slice(contig: string, from: number, to: number): Promise<string | undefined> {
    if (this.live) this.stores.attachLive(this.run.id, this.live.reference);
    // A window around `to` reaching back to `from`, cut at `to`.
    const window = await this.stores.references.window(this.run.id, contig, to, to - from);
    return window?.sequence.slice(0, to - from + 1);
  }
}
