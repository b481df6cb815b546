import { open, stat } from 'node:fs/promises';
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

/**
 * The sequences read last and the file they were read from (path, size, modification time): a
 * run's start asks for them three times (its ploidy, its reference, its circular contigs), and
 * parsing the file each time had tripled the cost of a GenBank reference.
 */
let lastRead: { file: string; sequences: GenbankSequence[] } | undefined;

/** The sequences of a GenBank file; the file read last, unchanged, is not read again. */
export async function genbankSequences(path: string): Promise<GenbankSequence[]> {
  const { size, mtimeMs } = await stat(path);
  const file = JSON.stringify([path, size, mtimeMs]);
  if (lastRead?.file === file) return lastRead.sequences;
  const sequences = readGenbankSequences(path);
  lastRead = { file, sequences };
  return sequences;
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
  return Reference.parseFasta(Buffer.from(toFasta(await genbankSequences(path)), 'latin1'), path);
}

/** The contigs a GenBank file's LOCUS lines call `circular` (none for FASTA). */
export async function circularContigs(path: string): Promise<string[]> {
  if (!(await isGenbank(path))) return [];
  return (await genbankSequences(path)).filter((sequence) => sequence.circular).map((sequence) => sequence.name);
}
