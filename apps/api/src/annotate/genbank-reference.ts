import { open } from 'node:fs/promises';
import { type GenbankSequence, Reference, readGenbankSequences } from '@helix/native';

/** Whether a file is GenBank (its first non-blank line starts with `LOCUS`). */
export async function isGenbank(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(512), 0, 512, 0);
    return buffer.subarray(0, bytesRead).toString('latin1').trimStart().startsWith('LOCUS');
  } finally {
    await file.close();
  }
}

/** A GenBank file's sequences as FASTA text, 60 bases a line. */
export function toFasta(sequences: readonly GenbankSequence[]): string {
  return sequences
    .map(({ name, sequence }) => {
      const bases = sequence.toString('latin1');
      const lines = bases.match(/.{1,60}/g) ?? [];
      return `>${name}\n${lines.join('\n')}\n`;
    })
    .join('');
}

/**
 * The reference in a FASTA or GenBank file (its sequences, contigs named by LOCUS), so a run
 * stores the file it was given and is rebuilt from it later.
 */
export async function loadReference(path: string): Promise<Reference> {
  if (!(await isGenbank(path))) return Reference.loadFasta(path);
  return Reference.parseFasta(Buffer.from(toFasta(readGenbankSequences(path)), 'latin1'), path);
}

/** The contigs a GenBank file's LOCUS lines call `circular` (none for FASTA). */
export async function circularContigs(path: string): Promise<string[]> {
  if (!(await isGenbank(path))) return [];
  return readGenbankSequences(path)
    .filter((sequence) => sequence.circular)
    .map((sequence) => sequence.name);
}
