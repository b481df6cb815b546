/** The classes a mutation is scored in. */
export type EventClass = 'SNV' | 'SUB' | 'INDEL' | 'LARGE_DEL';

/** Deletions at least this long are scored as large deletions (±{@link LARGE_DELETION_TOLERANCE} bp). */
export const LARGE_DELETION_MIN = 50;

/** How far each end of a called large deletion may lie from the expected one. */
export const LARGE_DELETION_TOLERANCE = 5;

/**
 * One change to a reference: `ref` (the replaced bases, empty for an insertion) starting at the
 * 1-based `start`, replaced by `alt` (empty for a deletion). A deletion may run past the end of a
 * circular contig (`start + ref.length - 1 > contig length`), as breseq writes one across the origin.
 */
export interface Edit {
  contig: string;
  start: number;
  ref: string;
  alt: string;
}

/** A mutation the data set is expected to show. */
export interface ExpectedEvent extends Edit {
  class: EventClass;
  /** Fraction of the population carrying it (1 = fixed). */
  frequency: number;
  /** Where it comes from, for reports: e.g. `SNP 2551 G>A` or `JC 7033~10253`. */
  label: string;
  /** True for the published mutation list (breseq's predictions, wgsim's truth); false for evidence only. */
  published: boolean;
}

/** The class of an edit by its shape. */
export function classOf(edit: Pick<Edit, 'ref' | 'alt'>): EventClass {
  const { ref, alt } = edit;
  if (ref.length === 1 && alt.length === 1) return 'SNV';
  if (ref.length > 0 && alt.length > 0) return 'SUB';
  if (alt.length === 0 && ref.length >= LARGE_DELETION_MIN) return 'LARGE_DEL';
  return 'INDEL';
}

/** Drops the bases a VCF-style pair of alleles shares at its ends (the anchor base, a shared suffix). */
export function trimEdit(contig: string, position: number, ref: string, alt: string): Edit {
  let start = position;
  let end = 0;
  while (end < ref.length && end < alt.length && ref.at(-1 - end) === alt.at(-1 - end)) end += 1;
  let trimmedRef = ref.slice(0, ref.length - end);
  let trimmedAlt = alt.slice(0, alt.length - end);
  while (trimmedRef.length > 0 && trimmedAlt.length > 0 && trimmedRef[0] === trimmedAlt[0]) {
    trimmedRef = trimmedRef.slice(1);
    trimmedAlt = trimmedAlt.slice(1);
    start += 1;
  }
  return { contig, start, ref: trimmedRef, alt: trimmedAlt };
}
