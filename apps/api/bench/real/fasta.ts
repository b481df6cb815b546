import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** A reference contig: its name, bases (upper case) and topology. */
export interface Contig {
  name: string;
  sequence: string;
  circular: boolean;
}

/** Reads a FASTA file (plain or gzip) as linear contigs; the name is the header's first word. */
export async function readFasta(path: string): Promise<Contig[]> {
  const raw = await readFile(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const contigs: Contig[] = [];
  let name: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (name !== undefined) contigs.push({ name, sequence: lines.join('').toUpperCase(), circular: false });
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('>')) {
      flush();
      name = line.slice(1).trim().split(/\s+/)[0] ?? '';
      lines = [];
    } else if (line !== '') {
      if (name === undefined) throw new Error(`${path}: sequence before the first '>' header`);
      lines.push(line.trim());
    }
  }
  flush();
  if (contigs.length === 0) throw new Error(`${path}: no FASTA record`);
  return contigs;
}

/** Writes contigs as FASTA, 60 bases a line. */
export async function writeFasta(path: string, contigs: readonly Contig[]): Promise<void> {
  const lines: string[] = [];
  for (const contig of contigs) {
    lines.push(`>${contig.name}`);
    for (let start = 0; start < contig.sequence.length; start += 60) {
      lines.push(contig.sequence.slice(start, start + 60));
    }
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** The bases `start..start+length-1` (1-based) of a contig, wrapping past the end of a circular one. */
export function basesAt(contig: Contig, start: number, length: number): string {
  const end = start - 1 + length;
  if (end <= contig.sequence.length) return contig.sequence.slice(start - 1, end);
  if (!contig.circular) throw new Error(`${contig.name}:${start}+${length} runs past the end of a linear contig`);
  return contig.sequence.slice(start - 1) + contig.sequence.slice(0, end - contig.sequence.length);
}
