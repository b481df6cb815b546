/**
 * How a population call (a mixed sample, called with no genotype) is spoken of: by its share of
 * the population, its per-strand support and the filters it fails, never by a zygosity.
 */

/** A population call's per-strand read counts, strand bias and filters, as the caller gave them. */
export interface PopulationEvidence {
  /** Forward-strand reads showing the reference. */
  forwardRefCount: number;
  /** Reverse-strand reads showing the reference. */
  reverseRefCount: number;
  /** Forward-strand reads showing the alternate allele (VCF `ADF`). */
  forwardAltCount: number;
  /** Reverse-strand reads showing the alternate allele (VCF `ADR`). */
  reverseAltCount: number;
  /** Phred-scaled Fisher strand-bias p-value (VCF `INFO/SB`); null when one strand has no reads. */
  strandBias: number | null;
  /** VCF `FILTER` values the call fails; empty when it passes. */
  filters: readonly string[];
}

/**
 * The variant's share of the population: `minority` (subclonal) below half, `majority` from half,
 * `fixed` from {@link FIXED_MIN_AF} (nearly every molecule carries it).
 */
export type PopulationShare = 'minority' | 'majority' | 'fixed';

/** What the rules say of a population call. */
export interface PopulationFacts {
  share: PopulationShare;
  /** The alternate allele's reads per strand; null when the call did not come with them. */
  alternateStrands: { forward: number; reverse: number } | null;
  /** The reference allele's reads per strand; null when the call did not come with them. */
  referenceStrands: { forward: number; reverse: number } | null;
  /** Phred-scaled strand bias; null when unknown or when one strand has no reads. */
  strandBias: number | null;
  /** The filters the call fails (empty: it passes); null when the call did not come with them. */
  filters: string[] | null;
}

/** Allele frequency from which a population variant reads as in the majority. */
export const MAJORITY_MIN_AF = 0.5;
/** Allele frequency from which a population variant reads as fixed. */
export const FIXED_MIN_AF = 0.9;

/** Why each filter fails a call, in words. */
const FILTER_REASONS: Partial<Record<string, string>> = {
  LowQual: 'its quality is below the run’s minimum',
  LowDepth: 'too few reads cover the site',
  StrandBias: 'the alternate reads are nearly all on one strand',
};

/** The share of the population an allele frequency speaks of. */
export function populationShare(alleleFrequency: number): PopulationShare {
  if (alleleFrequency >= FIXED_MIN_AF) return 'fixed';
  if (alleleFrequency >= MAJORITY_MIN_AF) return 'majority';
  return 'minority';
}

/** The population facts of a call at `alleleFrequency` with whatever `evidence` it came with. */
export function populationFacts(alleleFrequency: number, evidence: Partial<PopulationEvidence>): PopulationFacts {
  const { forwardRefCount, reverseRefCount, forwardAltCount, reverseAltCount } = evidence;
  return {
    share: populationShare(alleleFrequency),
    alternateStrands:
      forwardAltCount === undefined || reverseAltCount === undefined
        ? null
        : { forward: forwardAltCount, reverse: reverseAltCount },
    referenceStrands:
      forwardRefCount === undefined || reverseRefCount === undefined
        ? null
        : { forward: forwardRefCount, reverse: reverseRefCount },
    strandBias: evidence.strandBias ?? null,
    filters: evidence.filters ? [...evidence.filters] : null,
  };
}

/** An allele frequency as a percentage: `12 %`, `4.5 %` below ten. */
export function percent(alleleFrequency: number): string {
  const value = alleleFrequency * 100;
  return `${value.toFixed(value < 10 ? 1 : 0)} %`;
}

/** `subclonal minority variant at 4.5 %`, `majority variant at 62 %`, `fixed variant at 97 %`. */
export function describeShare(facts: PopulationFacts, alleleFrequency: number): string {
  const share = facts.share === 'minority' ? 'subclonal minority' : facts.share;
  return `${share} variant at ${percent(alleleFrequency)}`;
}

/** `12 forward / 9 reverse reads`, or undefined when the strands are unknown. */
export function describeStrands(facts: PopulationFacts): string | undefined {
  const strands = facts.alternateStrands;
  return strands ? `${strands.forward} forward / ${strands.reverse} reverse reads` : undefined;
}

/**
 * `flagged StrandBias: the alternate reads are nearly all on one strand` (each failed filter named
 * with its reason), `passing every filter`, or undefined when the filters are unknown.
 */
export function describeFilters(facts: PopulationFacts): string | undefined {
  if (!facts.filters) return undefined;
  if (facts.filters.length === 0) return 'passing every filter';
  const reasons = facts.filters.map((filter) => {
    const reason = FILTER_REASONS[filter];
    return reason ? `${filter}: ${reason}` : filter;
  });
  return `flagged ${reasons.join('; ')}`;
}
