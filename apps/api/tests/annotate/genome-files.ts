/** Writes a test genome with genes as GFF3 (NCBI RefSeq style) and as GenBank. */
import type { TestGene } from './retranslate.js';
import { reverseComplement } from './retranslate.js';

/** A reproducible stretch of `length` bases (a small linear congruential generator). */
export function randomBases(length: number, seed: number): string {
  let state = seed >>> 0;
  let bases = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bases += 'ACGT'[state >>> 30];
  }
  return bases;
}

/** An open reading frame of `codons` codons: a start, sense codons, a stop. */
export function openReadingFrame(codons: number, seed: number): string {
  const stops = new Set(['TAA', 'TAG', 'TGA']);
  const sense: string[] = [];
  let offset = 0;
  while (sense.length < codons - 2) {
    const codon = randomBases(3, seed * 7_919 + offset++);
    if (!stops.has(codon)) sense.push(codon);
  }
  return `ATG${sense.join('')}TAA`;
}

/** Writes each gene's ORF onto `contig` over its segments (reverse complemented on `-`). */
export function placeGenes(contig: string, genes: readonly TestGene[]): string {
  const bases = [...contig];
  genes.forEach((gene, number) => {
    const length = gene.segments.reduce((sum, [start, end]) => sum + end - start + 1, 0);
    const orf = openReadingFrame(length / 3, number + 1);
    const strandBases = gene.strand === '+' ? orf : reverseComplement(orf);
    const positions = gene.segments.flatMap(([start, end]) =>
      Array.from({ length: end - start + 1 }, (_, i) => start + i),
    );
    positions.forEach((position, i) => {
      bases[position - 1] = strandBases[i] ?? 'N';
    });
  });
  return bases.join('');
}

/** GFF3 in NCBI RefSeq style: a gene, and one CDS line per segment sharing an ID. */
export function toGff3(contigName: string, contig: string, genes: readonly TestGene[]): string {
  const lines = ['##gff-version 3', `##sequence-region ${contigName} 1 ${contig.length}`];
  lines.push(`${contigName}\tRefSeq\tregion\t1\t${contig.length}\t.\t+\t.\tID=${contigName}:1..${contig.length}`);
  for (const gene of genes) {
    const start = gene.segments[0]?.[0] ?? 1;
    const end = gene.segments.at(-1)?.[1] ?? 1;
    lines.push(
      `${contigName}\tRefSeq\tgene\t${start}\t${end}\t.\t${gene.strand}\t.\tID=gene-${gene.locusTag};Name=${gene.name};locus_tag=${gene.locusTag}`,
    );
    for (const [segmentStart, segmentEnd] of gene.segments) {
      lines.push(
        `${contigName}\tRefSeq\tCDS\t${segmentStart}\t${segmentEnd}\t.\t${gene.strand}\t0\tID=cds-${gene.locusTag};Parent=gene-${gene.locusTag};product=${gene.name} protein;transl_table=11`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function location(gene: TestGene): string {
  const ranges = gene.segments.map(([start, end]) => `${start}..${end}`);
  const joined = ranges.length > 1 ? `join(${ranges.join(',')})` : (ranges[0] ?? '');
  return gene.strand === '+' ? joined : `complement(${joined})`;
}

/** A GenBank flat file with the sequence and one gene + CDS feature per gene. */
export function toGenbank(contigName: string, contig: string, genes: readonly TestGene[]): string {
  const lines = [
    `LOCUS       ${contigName.padEnd(16)} ${String(contig.length).padStart(11)} bp    DNA     linear   BCT 01-JAN-2026`,
    'DEFINITION  Test genome.',
    `ACCESSION   ${contigName}`,
    'FEATURES             Location/Qualifiers',
    `     source          1..${contig.length}`,
    '                     /organism="Escherichia coli"',
  ];
  for (const gene of genes) {
    lines.push(
      `     gene            ${location(gene)}`,
      `                     /locus_tag="${gene.locusTag}"`,
      `                     /gene="${gene.name}"`,
    );
    lines.push(
      `     CDS             ${location(gene)}`,
      `                     /locus_tag="${gene.locusTag}"`,
      `                     /gene="${gene.name}"`,
      '                     /codon_start=1',
      '                     /transl_table=11',
      `                     /product="${gene.name} protein"`,
    );
  }
  lines.push('ORIGIN');
  const lower = contig.toLowerCase();
  for (let offset = 0; offset < lower.length; offset += 60) {
    const groups = lower.slice(offset, offset + 60).match(/.{1,10}/g) ?? [];
    lines.push(`${String(offset + 1).padStart(9)} ${groups.join(' ')}`);
  }
  lines.push('//');
  return `${lines.join('\n')}\n`;
}

/** FASTA of one contig. */
export function toFasta(contigName: string, contig: string): string {
  return `>${contigName}\n${(contig.match(/.{1,60}/g) ?? []).join('\n')}\n`;
}

/** GFF3 in Ensembl style (gene → mRNA → exon + CDS with phases), as `bcftools csq` reads it. */
export function toEnsemblGff3(contigName: string, genes: readonly TestGene[]): string {
  const lines = ['##gff-version 3'];
  for (const gene of genes) {
    const start = gene.segments[0]?.[0] ?? 1;
    const end = gene.segments.at(-1)?.[1] ?? 1;
    const row = (type: string, from: number, to: number, phase: string, attributes: string) =>
      `${contigName}\tens\t${type}\t${from}\t${to}\t.\t${gene.strand}\t${phase}\t${attributes}`;
    lines.push(row('gene', start, end, '.', `ID=gene:${gene.locusTag};Name=${gene.name};biotype=protein_coding`));
    lines.push(
      row(
        'mRNA',
        start,
        end,
        '.',
        `ID=transcript:${gene.locusTag}.1;Parent=gene:${gene.locusTag};biotype=protein_coding`,
      ),
    );
    const ordered = gene.strand === '+' ? gene.segments : [...gene.segments].reverse();
    let before = 0;
    for (const [from, to] of ordered) {
      lines.push(row('exon', from, to, '.', `Parent=transcript:${gene.locusTag}.1`));
      lines.push(
        row(
          'CDS',
          from,
          to,
          String((3 - (before % 3)) % 3),
          `ID=CDS:${gene.locusTag};Parent=transcript:${gene.locusTag}.1`,
        ),
      );
      before += to - from + 1;
    }
  }
  return `${lines.join('\n')}\n`;
}
