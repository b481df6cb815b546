import { readFile } from 'node:fs/promises';
import { type Edit, trimEdit } from './events.js';
import { basesAt, type Contig } from './fasta.js';

/** A called allele as an edit, with its VCF line for reports. */
export interface Call extends Edit {
  line: number;
}

function info(field: string, key: string): string | undefined {
  for (const entry of field.split(';')) if (entry.startsWith(`${key}=`)) return entry.slice(key.length + 1);
  return undefined;
}

/**
 * The calls of a VCF, one per ALT allele, as edits. Symbolic `<DEL>` alleles become deletions of
 * POS+1..END (or SVLEN bases). Records whose FILTER is neither PASS nor `.` are left out, and so
 * are alleles the record's genotype does not carry (after `bcftools norm -m -any`, the second
 * allele of a split site has GT 0).
 */
export function parseVcfCalls(text: string, reference: ReadonlyMap<string, Contig>): Call[] {
  const calls: Call[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || line.startsWith('#')) continue;
    const [contig = '', pos = '', , ref = '', alts = '', , filter = '', infoField = '', format, sample] =
      line.split('\t');
    if (filter !== 'PASS' && filter !== '.') continue;
    const position = Number(pos);
    const known = reference.get(contig);
    if (known === undefined || !Number.isInteger(position)) {
      throw new Error(`VCF line ${index + 1}: unknown contig or bad position: ${line.slice(0, 80)}`);
    }
    const genotypeIndex = (format ?? '').split(':').indexOf('GT');
    const genotype = genotypeIndex >= 0 ? (sample ?? '').split(':')[genotypeIndex] : undefined;
    const carried = genotype === undefined ? undefined : new Set(genotype.split(/[/|]/).map(Number));
    for (const [allele, alt] of alts.split(',').entries()) {
      if (carried && !carried.has(allele + 1)) continue;
      if (alt === '*' || alt === '.') continue;
      if (alt === '<DEL>') {
        const end = Number(info(infoField, 'END') ?? position + Math.abs(Number(info(infoField, 'SVLEN'))));
        if (!Number.isInteger(end) || end <= position)
          throw new Error(`VCF line ${index + 1}: <DEL> without END or SVLEN`);
        const deleted = basesAt(known, position + 1, end - position);
        calls.push({ contig, start: position + 1, ref: deleted, alt: '', line: index + 1 });
        continue;
      }
      if (alt.startsWith('<')) throw new Error(`VCF line ${index + 1}: symbolic allele ${alt} is not scored`);
      calls.push({ ...trimEdit(contig, position, ref.toUpperCase(), alt.toUpperCase()), line: index + 1 });
    }
  }
  return calls;
}

/** Reads a VCF file's calls; see {@link parseVcfCalls}. */
export async function readVcfCalls(path: string, reference: ReadonlyMap<string, Contig>): Promise<Call[]> {
  return parseVcfCalls(await readFile(path, 'utf8'), reference);
}
