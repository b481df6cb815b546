import type { ConsensusRecord } from './build.js';

/** Bases per line of a consensus FASTA, as most tools write them. */
export const FASTA_LINE_WIDTH = 60;

/** The records as FASTA: `>` and each header, then its sequence in lines of `lineWidth` bases. */
export function formatConsensusFasta(
  records: readonly Pick<ConsensusRecord, 'header' | 'sequence'>[],
  lineWidth = FASTA_LINE_WIDTH,
): string {
  if (!Number.isInteger(lineWidth) || lineWidth < 1) {
    throw new RangeError(`lineWidth must be a whole number of at least 1, got ${lineWidth}`);
  }
  const lines: string[] = [];
  for (const { header, sequence } of records) {
    lines.push(`>${header}`);
    for (let start = 0; start < sequence.length; start += lineWidth)
      lines.push(sequence.slice(start, start + lineWidth));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
