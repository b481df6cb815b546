/** A stretch of one contig, 1-based and inclusive. */
export interface Region {
  contig: string;
  from: number;
  to: number;
}

/** The contig cut into `parts` stretches of (nearly) equal length, in order. */
export function splitContig(contig: string, length: number, parts: number): Region[] {
  return Array.from({ length: parts }, (_, part) => ({
    contig,
    from: Math.floor((part * length) / parts) + 1,
    to: Math.floor(((part + 1) * length) / parts),
  }));
}

/** A region as samtools and bcftools write it: `contig:from-to`, 1-based inclusive. */
export function samtoolsRegion({ contig, from, to }: Region): string {
  return `${contig}:${from}-${to}`;
}

/** A region as freebayes `-r` reads it: `contig:start-end`, 0-based with the end excluded (as BED). */
export function freebayesRegion({ contig, from, to }: Region): string {
  return `${contig}:${from - 1}-${to}`;
}

/** A bash script running the commands side by side, failing when any of them fails. */
export function sideBySide(commands: readonly string[]): string {
  const started = commands.map((command, index) => `( ${command} ) & job${index}=$!`).join('\n');
  const waited = commands.map((_, index) => `wait $job${index}`).join(' && ');
  return `${started}\n${waited}`;
}
