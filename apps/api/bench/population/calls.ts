import { readFile } from 'node:fs/promises';
import { trimEdit } from '../real/events.js';
import { quote, timedShell } from '../real/run.js';
import type { VariantClass } from './haplotypes.js';

/** One ALT allele of a normalised VCF, with the frequency its caller gave it. */
export interface AlleleCall {
  /** `contig:start:ref:alt` with the anchor and shared bases trimmed: equal keys are the same allele. */
  key: string;
  class: VariantClass;
  alleleFrequency: number;
}

/**
 * `bcftools norm -a -m -any -f ref`: complex alleles decomposed into SNVs and indels, one ALT per
 * record, indels left-aligned. Truth and every call set go through it before they are compared.
 */
export async function normaliseVcf(vcfPath: string, referencePath: string, outputPath: string): Promise<void> {
  await timedShell(
    `bcftools norm -a -m -any -f ${quote(referencePath)} -o ${quote(outputPath)} ${quote(vcfPath)} 2>/dev/null`,
  );
}

function infoValue(info: string, key: string): string | undefined {
  for (const entry of info.split(';')) if (entry.startsWith(`${key}=`)) return entry.slice(key.length + 1);
  return undefined;
}

/**
 * The allele's frequency as its caller wrote it: `FORMAT/AF` (helix, ivar), else the share of the
 * alt in `FORMAT/AD` (freebayes, bcftools), else `INFO/AF` (the truth VCF).
 */
function alleleFrequency(info: string, format: Record<string, string>): number {
  if (format.AF !== undefined) return Number(format.AF.split(',')[0]);
  if (format.AD !== undefined) {
    const depths = format.AD.split(',').map(Number);
    const total = depths.reduce((sum, depth) => sum + depth, 0);
    return total === 0 ? 0 : (depths[1] ?? 0) / total;
  }
  return Number(infoValue(info, 'AF'));
}

/**
 * The alleles of a normalised VCF (see {@link normaliseVcf}) that the caller stands by: FILTER
 * PASS or `.`, and, for a caller that writes genotypes, only where the genotype carries the allele
 * (a split record of an allele the sample lacks has GT 0). The star allele is skipped.
 */
export function parseAlleleCalls(text: string, options: { genotyped: boolean }): AlleleCall[] {
  const calls: AlleleCall[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [contig = '', pos = '', , ref = '', alt = '', , filter = '', info = '', formatKeys, sample] =
      line.split('\t');
    if ((filter !== 'PASS' && filter !== '.') || alt === '*' || alt === '.') continue;
    const values = (sample ?? '').split(':');
    const format = Object.fromEntries((formatKeys ?? '').split(':').map((key, index) => [key, values[index] ?? '']));
    if (options.genotyped && !(format.GT ?? '').split(/[/|]/).includes('1')) continue;
    const edit = trimEdit(contig, Number(pos), ref.toUpperCase(), alt.toUpperCase());
    const key = `${edit.contig}:${edit.start}:${edit.ref}:${edit.alt}`;
    // Per-region runs and atomised complex alleles can write one allele twice: it is one call.
    if (seen.has(key)) continue;
    seen.add(key);
    const frequency = alleleFrequency(info, format);
    if (!Number.isFinite(frequency)) {
      throw new Error(`VCF record without an allele frequency (FORMAT/AF, FORMAT/AD or INFO/AF): ${line.slice(0, 80)}`);
    }
    calls.push({
      key,
      // After atomisation a same-length allele is an SNV; a rare MNP left over is scored with them.
      class: edit.ref.length === edit.alt.length ? 'SNV' : 'INDEL',
      alleleFrequency: frequency,
    });
  }
  return calls;
}

/** Reads a normalised VCF's calls; see {@link parseAlleleCalls}. */
export async function readAlleleCalls(path: string, options: { genotyped: boolean }): Promise<AlleleCall[]> {
  return parseAlleleCalls(await readFile(path, 'utf8'), options);
}
