import type { Edit } from './events.js';
import type { Contig } from './fasta.js';

/**
 * The leftmost equivalent of a pure insertion or deletion (the usual VCF normalisation): in a
 * repeat an inserted or deleted copy can be written at several positions, and both sides are
 * compared in this one form. Other edits are returned as they are.
 */
export function leftNormalise<T extends Edit>(edit: T, contig: Contig): T {
  if ((edit.ref === '') === (edit.alt === '')) return edit;
  const end = edit.start + edit.ref.length - 1;
  if (end > contig.sequence.length) return edit;
  let { start, ref, alt } = edit;
  for (;;) {
    const before = contig.sequence[start - 2];
    const moved = ref === '' ? alt : ref;
    if (before === undefined || before !== moved.at(-1)) break;
    if (ref === '') alt = before + alt.slice(0, -1);
    else ref = before + ref.slice(0, -1);
    start -= 1;
  }
  return { ...edit, start, ref, alt };
}

/**
 * The sequence of `contig` from `from` to `to` (1-based, inclusive) once `edits` are applied, or
 * undefined when two edits overlap (they cannot both hold on one haplotype).
 */
export function applyEdits(contig: Contig, from: number, to: number, edits: readonly Edit[]): string | undefined {
  const parts: string[] = [];
  let cursor = from;
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.ref.length - b.ref.length)) {
    if (edit.start < cursor || edit.start + edit.ref.length - 1 > to) return undefined;
    parts.push(contig.sequence.slice(cursor - 1, edit.start - 1), edit.alt);
    cursor = edit.start + edit.ref.length;
  }
  parts.push(contig.sequence.slice(cursor - 1, to));
  return parts.join('');
}
