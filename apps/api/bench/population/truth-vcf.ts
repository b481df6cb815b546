import { writeFile } from 'node:fs/promises';
import type { Contig } from '../real/fasta.js';
import type { PlantedVariant } from './haplotypes.js';

/** The planted variants as VCF 4.3, sorted by position, each with its expected `INFO/AF` and haplotype. */
export function truthVcf(reference: Contig, variants: readonly PlantedVariant[]): string {
  const header = [
    '##fileformat=VCFv4.3',
    `##contig=<ID=${reference.name},length=${reference.sequence.length}>`,
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Fraction of the mixture carrying the allele">',
    '##INFO=<ID=HAP,Number=1,Type=String,Description="Minor haplotype carrying the allele">',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
  ];
  const records = [...variants]
    .sort((a, b) => a.position - b.position)
    .map((variant) =>
      [
        variant.contig,
        variant.position,
        '.',
        variant.ref,
        variant.alt,
        '.',
        'PASS',
        `AF=${variant.frequency};HAP=${variant.haplotype}`,
      ].join('\t'),
    );
  return `${[...header, ...records].join('\n')}\n`;
}

/** Writes {@link truthVcf} to `path`. */
export async function writeTruthVcf(path: string, reference: Contig, variants: readonly PlantedVariant[]) {
  await writeFile(path, truthVcf(reference, variants));
}
