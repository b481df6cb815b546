/** Most bins one coverage answer holds. */
export const MAX_COVERAGE_BINS = 5_000;
/** Most reference bases one answer holds. */
export const MAX_REFERENCE_BASES = 10_000;
/** Most genes one answer lists. */
export const MAX_GENOME_FEATURES = 2_000;

/** An argument of a genome query out of bounds; `field` names it. */
export class GenomeArgumentError extends Error {
  override name = 'GenomeArgumentError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A contig of a run's reference. */
export interface ContigLength {
  name: string;
  length: number;
}

/**
 * The contig of `contigs` called `contig`, with `from..=to` (1-based, inclusive) checked to lie on
 * it; throws a {@link GenomeArgumentError} naming the argument at fault.
 */
export function checkedStretch(
  contigs: readonly ContigLength[],
  contig: string,
  from: number,
  to: number,
): ContigLength {
  const found = contigs.find((candidate) => candidate.name === contig);
  if (!found) {
    const known = contigs
      .slice(0, 5)
      .map((candidate) => candidate.name)
      .join(', ');
    throw new GenomeArgumentError(`contig ${contig} is not a contig of the run's reference (${known})`, 'contig');
  }
  if (!Number.isInteger(from) || from < 1 || from > found.length) {
    throw new GenomeArgumentError(`from must be a position from 1 to ${found.length}, got ${from}`, 'from');
  }
  if (!Number.isInteger(to) || to < from || to > found.length) {
    throw new GenomeArgumentError(`to must be a position from ${from} (from) to ${found.length}, got ${to}`, 'to');
  }
  return found;
}

/** Throws a {@link GenomeArgumentError} naming `field` unless `value` is a whole number within `1..=max`. */
export function checkedCount(value: number, field: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new GenomeArgumentError(`${field} must be a whole number from 1 to ${max}, got ${value}`, field);
  }
  return value;
}
