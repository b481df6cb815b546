/** A variant call as the consensus reads it: a VCF site, how common its allele is, and its status. */
export interface ConsensusCall {
  contig: string;
  /** 1-based VCF `POS` (the anchor base for indels). */
  position: number;
  /** VCF `REF`: the reference bases from `position` (for `<DEL>`, the anchor base alone is enough). */
  ref: string;
  /** VCF `ALT`, or the symbolic `<DEL>` of a long deletion. */
  alt: string;
  alleleFrequency: number;
  /** `CONFIRMED` calls alone make it into a consensus. */
  status: string;
  /** The caller's genotype, if it calls one: `1` (haploid) or `1/1` carry the allele on every copy. */
  genotype?: string | null;
  /** VCF `INFO/END` of a `<DEL>`: its last deleted base (past the contig's length across a circular origin). */
  end?: number;
}

/** The VCF ALT of a long deletion written by its span (`END`) rather than its bases. */
export const SYMBOLIC_DELETION = '<DEL>';

/**
 * What a call does to its contig: `length` reference bases from 0-based `start` (modulo the
 * contig's length, for a deletion across a circular origin) give way to `bases`. An insertion
 * replaces none: its bases go in before `start`.
 */
export interface ConsensusEdit {
  call: ConsensusCall;
  /** 0-based position of the call's VCF `POS`: whether the site is deep enough is read there. */
  anchor: number;
  start: number;
  length: number;
  bases: string;
}

/** Why a call is refused: it does not fit the reference it is said to be on. */
export class ConsensusCallError extends Error {
  override name = 'ConsensusCallError';
}

const describe = (call: ConsensusCall) => `${call.contig}:${call.position} ${call.ref}>${call.alt}`;

/**
 * The edit a call makes to `sequence` (its contig's bases): the bases REF and ALT share at
 * either end are kept, and only what differs between them is replaced. A `<DEL>` deletes from
 * the base after its anchor through `end` (else through the bases its REF spells out). Throws
 * {@link ConsensusCallError} when the call lies outside the contig or its REF is not the
 * reference's bases there.
 */
export function callEdit(call: ConsensusCall, sequence: string): ConsensusEdit {
  const length = sequence.length;
  if (!Number.isInteger(call.position) || call.position < 1 || call.position > length) {
    throw new ConsensusCallError(`call ${describe(call)} lies outside ${call.contig} (${length} bases)`);
  }
  const anchor = call.position - 1;
  const refBases = Array.from(call.ref, (_, offset) => sequence[(anchor + offset) % length]).join('');
  if (call.ref.toUpperCase() !== refBases) {
    throw new ConsensusCallError(`call ${describe(call)}: the reference reads ${refBases} there`);
  }
  if (call.alt === SYMBOLIC_DELETION) {
    const end = call.end ?? call.position + call.ref.length - 1;
    if (!Number.isInteger(end) || end <= call.position || end - call.position >= length) {
      throw new ConsensusCallError(`call ${describe(call)} needs an END after its position (got ${call.end})`);
    }
    return { call, anchor, start: (anchor + 1) % length, length: end - call.position, bases: '' };
  }
  const ref = call.ref.toUpperCase();
  const alt = call.alt.toUpperCase();
  let prefix = 0;
  while (prefix < ref.length && prefix < alt.length && ref[prefix] === alt[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < ref.length - prefix &&
    suffix < alt.length - prefix &&
    ref[ref.length - 1 - suffix] === alt[alt.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  const replaced = ref.length - prefix - suffix;
  return {
    call,
    anchor,
    // An insertion after the contig's last base goes in at its end; replaced bases wrap round.
    start: replaced > 0 || anchor + prefix > length ? (anchor + prefix) % length : anchor + prefix,
    length: replaced,
    bases: alt.slice(prefix, alt.length - suffix),
  };
}
