/** The genome the annotation tests share: 2,500 bases, five genes. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, type VariantCall } from '@helix/native';
import { variantCall } from '../support/variant-calls.js';
import { placeGenes, randomBases, toGff3 } from './genome-files.js';
import type { TestGene } from './retranslate.js';

/** Contig name. */
export const CONTIG = 'testchr';

/** Both strands, two overlapping genes (B and C), and a joined CDS on each strand. */
export const GENES: TestGene[] = [
  { name: 'geneA', locusTag: 'T_0001', strand: '+', segments: [[101, 400]] },
  { name: 'geneB', locusTag: 'T_0002', strand: '-', segments: [[601, 900]] },
  { name: 'geneC', locusTag: 'T_0003', strand: '+', segments: [[871, 1170]] },
  {
    name: 'geneD',
    locusTag: 'T_0004',
    strand: '+',
    segments: [
      [1301, 1450],
      [1461, 1610],
    ],
  },
  {
    name: 'geneE',
    locusTag: 'T_0005',
    strand: '-',
    segments: [
      [1801, 1950],
      [2001, 2150],
    ],
  },
];

/** The contig's bases, an open reading frame written over each gene (C over B's start). */
export const BASES = placeGenes(randomBases(2_500, 15), GENES);

/** Every SNV on every CDS base: gene, position, ref and alt. */
export function everyCodingSnv(): { gene: TestGene; position: number; ref: string; alt: string }[] {
  return GENES.flatMap((gene) =>
    gene.segments
      .flatMap(([start, end]) => Array.from({ length: end - start + 1 }, (_, i) => start + i))
      .flatMap((position) => {
        const ref = BASES[position - 1] ?? 'N';
        return ['A', 'C', 'G', 'T'].filter((alt) => alt !== ref).map((alt) => ({ gene, position, ref, alt }));
      }),
  );
}

/** The genome's genes, read from GFF3 as a run reads them. */
export async function testGenomeAnnotation(): Promise<Annotation> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-test-genome-'));
  try {
    await writeFile(join(directory, 'genes.gff3'), toGff3(CONTIG, BASES, GENES));
    return await Annotation.load(join(directory, 'genes.gff3'), [{ name: CONTIG, sequence: Buffer.from(BASES) }]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A call of an SNV of the genome at `position` (its real reference base, alt `alt`). */
export function testGenomeCall(position: number, alt: string, status: VariantCall['status']): VariantCall {
  return variantCall(position, status, {
    contig: CONTIG,
    ref: BASES[position - 1] ?? 'N',
    alt,
    genotype: '1/1',
    altCount: 20,
  });
}
