/**
 * A straightforward re-translation for checking the annotator: its own codon
 * table (NCBI table 11, written out codon by codon), its own reverse
 * complement, and the rules for naming an SNV's consequence.
 */

/** NCBI translation table 11 (bacteria, archaea, plastids). */
// biome-ignore format: a codon table reads best as a grid
export const TABLE_11: Readonly<Record<string, string>> = {
  TTT: 'F', TTC: 'F', TTA: 'L', TTG: 'L', CTT: 'L', CTC: 'L', CTA: 'L', CTG: 'L',
  ATT: 'I', ATC: 'I', ATA: 'I', ATG: 'M', GTT: 'V', GTC: 'V', GTA: 'V', GTG: 'V',
  TCT: 'S', TCC: 'S', TCA: 'S', TCG: 'S', CCT: 'P', CCC: 'P', CCA: 'P', CCG: 'P',
  ACT: 'T', ACC: 'T', ACA: 'T', ACG: 'T', GCT: 'A', GCC: 'A', GCA: 'A', GCG: 'A',
  TAT: 'Y', TAC: 'Y', TAA: '*', TAG: '*', CAT: 'H', CAC: 'H', CAA: 'Q', CAG: 'Q',
  AAT: 'N', AAC: 'N', AAA: 'K', AAG: 'K', GAT: 'D', GAC: 'D', GAA: 'E', GAG: 'E',
  TGT: 'C', TGC: 'C', TGA: '*', TGG: 'W', CGT: 'R', CGC: 'R', CGA: 'R', CGG: 'R',
  AGT: 'S', AGC: 'S', AGA: 'R', AGG: 'R', GGT: 'G', GGC: 'G', GGA: 'G', GGG: 'G',
};

/** Codons table 11 lets start a protein (read as M in first place). */
export const STARTS_11 = new Set(['TTG', 'CTG', 'ATT', 'ATC', 'ATA', 'ATG', 'GTG']);

const COMPLEMENT: Readonly<Record<string, string>> = { A: 'T', C: 'G', G: 'C', T: 'A' };

/** Reverse complement of `bases`. */
export function reverseComplement(bases: string): string {
  return [...bases]
    .reverse()
    .map((base) => COMPLEMENT[base] ?? 'N')
    .join('');
}

/** A CDS as the test lays it out: 1-based inclusive segments, listed left to right. */
export interface TestGene {
  name: string;
  locusTag: string;
  strand: '+' | '-';
  segments: [number, number][];
}

/** Coding bases already worked out, per gene and contig. */
const coding = new WeakMap<
  TestGene,
  { contig: string; bases: string; positions: number[]; index: Map<number, number> }
>();

/** The CDS bases in reading order, with each one's contig position. */
export function codingBases(
  contig: string,
  gene: TestGene,
): { bases: string; positions: number[]; index: Map<number, number> } {
  const known = coding.get(gene);
  if (known?.contig === contig) return known;
  const positions = gene.segments.flatMap(([start, end]) =>
    Array.from({ length: end - start + 1 }, (_, i) => start + i),
  );
  if (gene.strand === '-') positions.reverse();
  const bases = positions
    .map((position) => {
      const base = contig[position - 1] ?? 'N';
      return gene.strand === '+' ? base : (COMPLEMENT[base] ?? 'N');
    })
    .join('');
  const index = new Map(positions.map((position, i) => [position, i]));
  coding.set(gene, { contig, bases, positions, index });
  return { bases, positions, index };
}

function aminoAcid(codon: string, first: boolean): string {
  if (first && STARTS_11.has(codon)) return 'M';
  return TABLE_11[codon] ?? 'X';
}

/** What the SNV `alt` at `position` does to `gene`, by re-translating its codon. */
export function expectedSnvEffect(
  contig: string,
  gene: TestGene,
  position: number,
  alt: string,
): { consequence: string; aminoAcidChange: string } {
  const { bases, index: indexOf } = codingBases(contig, gene);
  const index = indexOf.get(position) ?? -1;
  const codonIndex = Math.floor(index / 3);
  const codon = bases.slice(codonIndex * 3, codonIndex * 3 + 3);
  const base = gene.strand === '+' ? alt : (COMPLEMENT[alt] ?? 'N');
  const altCodon = codon.slice(0, index % 3) + base + codon.slice((index % 3) + 1);
  const first = codonIndex === 0;
  const from = aminoAcid(codon, first);
  const to = aminoAcid(altCodon, first);
  const residue = codonIndex + 1;
  let consequence: string;
  if (first && from === 'M' && to !== 'M') consequence = 'START_LOST';
  else if (from === to) consequence = 'SYNONYMOUS';
  else if (to === '*') consequence = 'STOP_GAINED';
  else if (from === '*') consequence = 'STOP_LOST';
  else consequence = 'MISSENSE';
  const aminoAcidChange = consequence === 'START_LOST' ? 'M1?' : `${from}${residue}${to}`;
  return { consequence, aminoAcidChange };
}
