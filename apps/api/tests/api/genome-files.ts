/** A bedGraph data line: 0-based half-open stretch and its depth. */
export interface BedGraphLine {
  contig: string;
  start: number;
  end: number;
  depth: number;
}

/** The track line and data lines of a bedGraph text; throws naming the first malformed line. */
export function parseBedGraph(text: string): { track: string; lines: BedGraphLine[] } {
  const [track = '', ...rest] = text.trimEnd().split('\n');
  const lines = rest.map((line, index) => {
    const fields = line.split('\t');
    const [contig, start, end, depth] = fields;
    if (
      fields.length !== 4 ||
      !/^\d+$/.test(start ?? '') ||
      !/^\d+$/.test(end ?? '') ||
      !Number.isFinite(Number(depth))
    ) {
      throw new Error(`bedGraph line ${index + 2} is malformed: ${JSON.stringify(line)}`);
    }
    return { contig: contig as string, start: Number(start), end: Number(end), depth: Number(depth) };
  });
  return { track, lines };
}

/** A FASTA record: its header (without `>`) and bases. */
export interface FastaRecord {
  header: string;
  sequence: string;
}

/** The records of a FASTA text, each sequence's lines joined. */
export function parseFasta(text: string): FastaRecord[] {
  const records: FastaRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('>')) records.push({ header: line.slice(1), sequence: '' });
    else if (line !== '') {
      const last = records.at(-1);
      if (!last) throw new Error('FASTA text does not start with a header');
      last.sequence += line;
    }
  }
  return records;
}

/** Whether 1-based `position` lies in one of the 1-based inclusive `intervals`. */
export function within(intervals: readonly { from: number; to: number }[], position: number): boolean {
  return intervals.some((interval) => interval.from <= position && position <= interval.to);
}
