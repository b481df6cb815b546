import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GenbankSequence, readGenbankSequences } from '@helix/native';

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

/** Writes the sequences of a GenBank reference as `reference.fa` in `directory`, for the pipeline to read. */
export async function writeGenbankAsFasta(
  genbankPath: string,
  directory: string,
): Promise<{ fastaPath: string; sequences: GenbankSequence[] }> {
  const sequences = readGenbankSequences(genbankPath);
  const fastaPath = join(directory, 'reference.fa');
  await writeFile(fastaPath, toFasta(sequences));
  return { fastaPath, sequences };
}
