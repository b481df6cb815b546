import { compact } from './compact.js';
import type { VcfVariant } from './writer.js';

/** The FILTER values population calls may carry, and what each means. */
export const POPULATION_FILTERS = {
  LowQual:
    'Quality under the minimum (raised by the number of alleles tested), or too few uniquely placed alternate reads',
  LowDepth: 'Depth under the minimum',
  StrandBias:
    'Alternate allele (nearly) absent from one strand while the reference is read on both, with Fisher strand bias (INFO/SB) above 60',
} as const;

/** The header lines population records need beside the germline ones. */
export const POPULATION_HEADER_LINES: readonly string[] = [
  ...Object.entries(POPULATION_FILTERS).map(([id, description]) => `##FILTER=<ID=${id},Description="${description}">`),
  '##INFO=<ID=SB,Number=1,Type=Float,Description="Phred-scaled p-value of Fisher\'s exact test of strand against allele">',
  '##FORMAT=<ID=ADF,Number=R,Type=Integer,Description="Forward-strand reads of the reference and alternate alleles">',
  '##FORMAT=<ID=ADR,Number=R,Type=Integer,Description="Reverse-strand reads of the reference and alternate alleles">',
  '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Fraction of the sample\'s reads showing the alternate allele">',
];

/** A count, or VCF's missing value where the call's source did not keep it. */
const count = (value: number | undefined) => (value === undefined ? '.' : String(value));

/** A population call's sample column: `DP:AD:ADF:ADR:AF`, the reference reads those of both strands. */
export function populationColumn(call: VcfVariant): { format: string; column: string } {
  const { forwardRefCount, reverseRefCount, forwardAltCount, reverseAltCount } = call;
  const refCount =
    forwardRefCount === undefined || reverseRefCount === undefined
      ? Math.max(0, call.depth - call.altCount)
      : forwardRefCount + reverseRefCount;
  const adf = `${count(forwardRefCount)},${count(forwardAltCount)}`;
  const adr = `${count(reverseRefCount)},${count(reverseAltCount)}`;
  const column = `${call.depth}:${refCount},${call.altCount}:${adf}:${adr}:${compact(call.alleleFrequency, 4)}`;
  return { format: 'DP:AD:ADF:ADR:AF', column };
}

/** FILTER of a site: `PASS` when any sample's call passes, else every value its calls fail. */
export function populationFilter(calls: readonly VcfVariant[]): string {
  if (calls.some((call) => (call.filters ?? []).length === 0)) return 'PASS';
  return [...new Set(calls.flatMap((call) => call.filters ?? []))].join(';');
}

/** `;SB=…` of a site: the strongest strand bias among its calls, or nothing when none was tested. */
export function populationInfo(calls: readonly VcfVariant[]): string {
  const scores = calls.map((call) => call.strandBias).filter((score): score is number => typeof score === 'number');
  return scores.length === 0 ? '' : `;SB=${compact(Math.max(...scores), 2)}`;
}

/** A call as the VCF writers choose them: its status, and FILTER values when a population call. */
interface WrittenCall {
  status: 'CANDIDATE' | 'CONFIRMED';
  genotype: string | null;
  filters?: readonly string[];
}

/**
 * The calls a VCF holds: the confirmed ones, and in population mode (no genotype) also those a
 * FILTER value names the reason for, so that `bcftools view -f PASS` keeps exactly the confirmed.
 */
export function callsForVcf<T extends WrittenCall>(calls: readonly T[]): T[] {
  return calls.filter(
    (call) => call.status === 'CONFIRMED' || (call.genotype === null && (call.filters ?? []).length > 0),
  );
}
