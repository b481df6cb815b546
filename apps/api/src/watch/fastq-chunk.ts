import type { ReadBatch } from '@helix/native';

const AT = 0x40;
const PLUS = 0x2b;
const NEWLINE = 0x0a;

/** FASTQ text of a batch's reads (`@name`, bases, `+`, qualities), in one buffer. */
export function formatFastq(batch: ReadBatch): Buffer {
  const { bases, qualities, offsets, names, nameOffsets } = batch;
  // Per read: '@' name '\n' bases '\n' '+' '\n' qualities '\n'.
  const size = names.length + 2 * bases.length + 6 * batch.reads;
  const text = Buffer.allocUnsafe(size);
  let at = 0;
  for (let read = 0; read < batch.reads; read += 1) {
    const start = offsets[read] as number;
    const end = offsets[read + 1] as number;
    const name = names.subarray(nameOffsets[read], nameOffsets[read + 1]);
    text[at++] = AT;
    text.set(name, at);
    at += name.length;
    text[at++] = NEWLINE;
    text.set(bases.subarray(start, end), at);
    at += end - start;
    text[at++] = NEWLINE;
    text[at++] = PLUS;
    text[at++] = NEWLINE;
    text.set(qualities.subarray(start, end), at);
    at += end - start;
    text[at++] = NEWLINE;
  }
  return text;
}
