import { readFile, writeFile } from 'node:fs/promises';
import type { Contig } from '../real/fasta.js';

/** FILTER of an ivar row whose PASS column is FALSE (its Fisher test of the alt against errors failed). */
export const IVAR_FAIL = 'ivarFail';

/**
 * `ivar variants` TSV rows as VCF 4.3 for normalisation and scoring. ivar writes an insertion as
 * ALT `+BASES` after POS and a deletion as `-BASES` after POS; both become anchored VCF alleles.
 * `FORMAT/AD` is REF_DP,ALT_DP and `FORMAT/AF` is ALT_FREQ, as ivar counted them.
 */
export function ivarTsvToVcf(tsv: string, reference: Contig): string {
  const lines = [
    '##fileformat=VCFv4.3',
    `##contig=<ID=${reference.name},length=${reference.sequence.length}>`,
    `##FILTER=<ID=${IVAR_FAIL},Description="ivar's PASS column is FALSE">`,
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Reads with the REF and the ALT allele">',
    '##FORMAT=<ID=AF,Number=A,Type=Float,Description="ivar ALT_FREQ">',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tivar',
  ];
  const seen = new Set<string>();
  for (const row of tsv.split('\n').slice(1)) {
    if (row === '') continue;
    const fields = row.split('\t');
    const [contig = '', pos = '', ref = '', alt = '', refDepth = ''] = fields;
    const [altDepth, frequency, pass] = [fields[7], fields[10], fields[13]];
    if (contig !== reference.name) throw new Error(`ivar row on an unknown contig: ${row.slice(0, 80)}`);
    const position = Number(pos);
    const [vcfRef, vcfAlt] = alt.startsWith('+')
      ? [ref, ref + alt.slice(1)]
      : alt.startsWith('-')
        ? [ref + alt.slice(1), ref]
        : [ref, alt];
    const key = `${position}:${vcfRef}:${vcfAlt}`;
    // With a GFF ivar repeats a row per overlapping feature; without one it should not, but one row is enough.
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(
      [
        contig,
        position,
        '.',
        vcfRef,
        vcfAlt,
        '.',
        pass === 'TRUE' ? 'PASS' : IVAR_FAIL,
        '.',
        'AD:AF',
        `${refDepth},${altDepth}:${frequency}`,
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Converts the TSVs ivar wrote (one per region, in order) into one VCF at `vcfPath`. */
export async function writeIvarVcf(tsvPaths: readonly string[], reference: Contig, vcfPath: string): Promise<void> {
  const tables = await Promise.all(tsvPaths.map((path) => readFile(path, 'utf8')));
  const rows = tables.flatMap((table, index) => table.split('\n').slice(index === 0 ? 0 : 1));
  await writeFile(vcfPath, ivarTsvToVcf(rows.join('\n'), reference));
}
