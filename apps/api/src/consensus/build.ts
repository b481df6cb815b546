import type { DepthInterval, Reference } from '@helix/native';
import { type ConsensusCall, ConsensusCallError, type ConsensusEdit, callEdit } from './edits.js';

/** The reference a consensus is built on: its contigs in order, by name and bases (or the native {@link Reference}). */
export type ConsensusReference = readonly { name: string; sequence: string | Uint8Array }[] | Reference;

/** What {@link buildConsensus} needs for one sample. */
export interface ConsensusInput {
  reference: ConsensusReference;
  /** The sample's calls, candidates included (they are left out). */
  calls: readonly ConsensusCall[];
  /** The stretches of the reference with depth below `minDepth` (1-based inclusive, as the pileup lists them). */
  lowDepth: readonly DepthInterval[];
  minDepth: number;
  sample: string;
  /** How the header names the reference (e.g. its file name). */
  referenceName: string;
  /** A confirmed call's allele replaces the reference where its allele frequency is above this (default 0.5). */
  minAlleleFrequency?: number;
}

/** A call a consensus leaves out, and why. */
export interface SkippedCall {
  call: ConsensusCall;
  /** `overlap`: it overlaps a call applied before it; `low depth`: its site is below the minimum depth. */
  reason: 'overlap' | 'low depth';
}

/** One contig of one sample's consensus. */
export interface ConsensusRecord {
  contig: string;
  /** The FASTA header line without its `>`: an identifier `SAMPLE/CONTIG`, then what the sequence is. */
  header: string;
  sequence: string;
  /** Calls of this contig that would have changed it but were left out. */
  skipped: SkippedCall[];
}

/** The default of {@link ConsensusInput.minAlleleFrequency}: the majority allele. */
export const CONSENSUS_ALLELE_FREQUENCY = 0.5;

/**
 * A sample's consensus, one record per contig of the reference in its order: `N` where the
 * depth is below `minDepth`; elsewhere the majority allele: the reference base, replaced by a
 * `CONFIRMED` call's allele when its allele frequency is above `minAlleleFrequency`, or when its
 * genotype is `1` or `1/1` (SNVs substituted, deletions removed, insertions inserted, `<DEL>`
 * removed over its span). The genotype counts because a long replacement's allele frequency is
 * understated: reads that end inside it count for the reference (T7's 330-bp substitution is
 * called haploid `1` at AF 0.43, and breseq finds it in every read).
 *
 * Calls are applied in VCF order (position, then higher allele frequency, then REF and ALT):
 * a call overlapping one applied before it (sharing a replaced base, or inserting inside its
 * span, or inserting where another inserts) is skipped, as is a call whose VCF position lies
 * below the minimum depth; both are listed in {@link ConsensusRecord.skipped}. Bases a deletion
 * removes are removed whether or not they are deep enough. Throws {@link ConsensusCallError}
 * for a call or stretch on a contig the reference lacks, or a call whose REF disagrees with it.
 */
export function buildConsensus(input: ConsensusInput): ConsensusRecord[] {
  const minAlleleFrequency = input.minAlleleFrequency ?? CONSENSUS_ALLELE_FREQUENCY;
  const contigs = contigsOf(input.reference);
  const known = new Set(contigs.map(({ name }) => name));
  for (const { contig } of [...input.calls, ...input.lowDepth]) {
    if (!known.has(contig)) throw new ConsensusCallError(`contig ${contig} is not in ${input.referenceName}`);
  }
  return contigs.map(({ name, sequence }) => {
    const low = lowDepthMask(
      sequence.length,
      input.lowDepth.filter(({ contig }) => contig === name),
    );
    const edits = input.calls
      .filter((call) => call.contig === name && isMajority(call, minAlleleFrequency))
      .sort(vcfOrder)
      .map((call) => callEdit(call, sequence));
    const { consensus, skipped } = applyEdits(sequence, low, edits);
    return {
      contig: name,
      header: consensusHeader(input, name, minAlleleFrequency),
      sequence: consensus,
      skipped,
    };
  });
}

/** Genotypes that carry the allele on every copy: the caller's own reading that it is the majority. */
const ALTERNATE_GENOTYPES: ReadonlySet<string> = new Set(['1', '1/1']);

/** Whether a call's allele is the sample's majority: confirmed, and above the frequency or called on every copy. */
function isMajority(call: ConsensusCall, minAlleleFrequency: number): boolean {
  if (call.status !== 'CONFIRMED') return false;
  return call.alleleFrequency > minAlleleFrequency || ALTERNATE_GENOTYPES.has(call.genotype ?? '');
}

/** `SAMPLE/CONTIG`, then the sample, the contig, the reference and the thresholds in words (no `<` or `>`, which some FASTA readers split on). */
function consensusHeader(input: ConsensusInput, contig: string, minAlleleFrequency: number): string {
  const id = `${input.sample}/${contig}`.replaceAll(/\s+/g, '_');
  return (
    `${id} consensus of sample ${input.sample} on ${contig} of ${input.referenceName}; ` +
    `N where depth below ${input.minDepth}; alternate allele where allele frequency above ${minAlleleFrequency}`
  );
}

/** Position, then the more frequent allele first, then REF and ALT: a stable order for equal sites. */
function vcfOrder(a: ConsensusCall, b: ConsensusCall): number {
  return (
    a.position - b.position ||
    b.alleleFrequency - a.alleleFrequency ||
    a.ref.localeCompare(b.ref) ||
    a.alt.localeCompare(b.alt)
  );
}

function contigsOf(reference: ConsensusReference): { name: string; sequence: string }[] {
  const bases = (sequence: string | Uint8Array) =>
    (typeof sequence === 'string' ? sequence : Buffer.from(sequence).toString('latin1')).toUpperCase();
  if (Array.isArray(reference)) {
    return reference.map(({ name, sequence }) => ({ name, sequence: bases(sequence) }));
  }
  const native = reference as Reference;
  return native.contigs.map(({ name }, index) => ({ name, sequence: bases(native.sequence(index)) }));
}

/** 1 at each 0-based position inside a stretch (stretches are clipped to the contig). */
function lowDepthMask(length: number, stretches: readonly DepthInterval[]): Uint8Array {
  const mask = new Uint8Array(length);
  for (const { start, end } of stretches) mask.fill(1, Math.max(0, start - 1), Math.min(length, end));
  return mask;
}

const NONE = -1;

/** Applies the edits in their order, skipping those that overlap one applied or lie below the minimum depth. */
function applyEdits(
  sequence: string,
  low: Uint8Array,
  edits: readonly ConsensusEdit[],
): { consensus: string; skipped: SkippedCall[] } {
  const length = sequence.length;
  // Which applied edit replaces each base, and which boundary (before base i; `length` = the end) takes an insertion.
  const replacedBy = new Int32Array(length).fill(NONE);
  const insertedAt = new Map<number, string>();
  const replacementAt = new Map<number, string>();
  const skipped: SkippedCall[] = [];
  for (const [id, edit] of edits.entries()) {
    if (low[edit.anchor % length]) {
      skipped.push({ call: edit.call, reason: 'low depth' });
      continue;
    }
    if (overlapsApplied(edit, replacedBy, insertedAt)) {
      skipped.push({ call: edit.call, reason: 'overlap' });
      continue;
    }
    if (edit.length === 0) {
      insertedAt.set(edit.start, edit.bases);
      continue;
    }
    for (let offset = 0; offset < edit.length; offset += 1) replacedBy[(edit.start + offset) % length] = id;
    replacementAt.set(edit.start, edit.bases);
  }
  const out: string[] = [];
  let kept = 0;
  const keep = (end: number) => {
    if (end > kept) out.push(masked(sequence, low, kept, end));
  };
  for (let position = 0; position <= length; position += 1) {
    const inserted = insertedAt.get(position);
    const replacement = replacementAt.get(position);
    const replaced = position < length && replacedBy[position] !== NONE;
    if (inserted === undefined && replacement === undefined && !replaced) continue;
    keep(position);
    if (inserted !== undefined) out.push(inserted);
    if (replacement !== undefined) out.push(replacement);
    kept = replaced ? position + 1 : position;
  }
  keep(length);
  return { consensus: out.join(''), skipped };
}

/** Whether an edit shares a replaced base with one applied, inserts inside one, or inserts where one inserts. */
function overlapsApplied(
  edit: ConsensusEdit,
  replacedBy: Int32Array,
  insertedAt: ReadonlyMap<number, string>,
): boolean {
  const length = replacedBy.length;
  if (edit.length === 0) {
    if (insertedAt.has(edit.start)) return true;
    const before = replacedBy[(edit.start - 1 + length) % length] ?? NONE;
    return edit.start > 0 && edit.start < length && before !== NONE && before === replacedBy[edit.start];
  }
  for (let offset = 0; offset < edit.length; offset += 1) {
    if (replacedBy[(edit.start + offset) % length] !== NONE) return true;
    if (offset > 0 && insertedAt.has((edit.start + offset) % length)) return true;
  }
  return false;
}

/** `sequence[start, end)` with `N` wherever the depth is low. */
function masked(sequence: string, low: Uint8Array, start: number, end: number): string {
  const first = low.indexOf(1, start);
  if (first === NONE || first >= end) return sequence.slice(start, end);
  const bases = sequence.slice(start, end).split('');
  for (let position = first; position < end; position += 1) if (low[position]) bases[position - start] = 'N';
  return bases.join('');
}
