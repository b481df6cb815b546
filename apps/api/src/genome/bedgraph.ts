import type { Coverage } from './coverage.js';

/** A depth as bedGraph writes it: whole at base resolution, at most two decimals for a bin's mean. */
export function bedGraphDepth(depth: number): string {
  return Number.isInteger(depth) ? String(depth) : String(Math.round(depth * 100) / 100);
}

/** The `track` line of a sample's bedGraph. */
export function bedGraphTrackLine(sample: string, runId: string): string {
  const quoted = (text: string) => text.replace(/["\r\n]/g, '');
  return `track type=bedGraph name="${quoted(sample)} depth" description="depth of ${quoted(sample)}, helix run ${runId}"\n`;
}

/**
 * Writes one contig's coverage as bedGraph lines (0-based, half-open), fed in consecutive pieces
 * (bins of any size): neighbouring bases or bins of equal written depth make one line, also
 * across pieces. {@link end} writes the last line.
 */
export class BedGraphContig {
  #start = 0;
  #end = 0;
  #depth: string | undefined;

  constructor(readonly contig: string) {}

  /** The lines completed by `coverage` (the next piece of the contig). */
  add(coverage: Coverage): string {
    let text = '';
    coverage.depths.forEach((mean, index) => {
      const start = coverage.from - 1 + index * coverage.binSize;
      const end = Math.min(coverage.to, start + coverage.binSize);
      const depth = bedGraphDepth(mean);
      if (depth === this.#depth && start === this.#end) {
        this.#end = end;
        return;
      }
      text += this.end();
      this.#start = start;
      this.#end = end;
      this.#depth = depth;
    });
    return text;
  }

  /** The line held back (the run of equal depth still open), or "" when none is. */
  end(): string {
    if (this.#depth === undefined) return '';
    const line = `${this.contig}\t${this.#start}\t${this.#end}\t${this.#depth}\n`;
    this.#depth = undefined;
    return line;
  }
}
