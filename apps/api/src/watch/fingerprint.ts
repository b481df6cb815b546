import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

/** How much of each end of a file its fingerprint reads. */
export const FINGERPRINT_BLOCK_BYTES = 64 * 1024;

/**
 * SHA-256 (hex) of a file's first and last {@link FINGERPRINT_BLOCK_BYTES} (the whole file when it
 * is smaller than both): enough to tell a file touched or copied with the same reads from one
 * rewritten or grown, without reading it all. Rejects as `open` does (ENOENT, EACCES).
 */
export async function fingerprintFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const hash = createHash('sha256');
    const head = Math.min(size, FINGERPRINT_BLOCK_BYTES);
    hash.update(await readBlock(file, 0, head));
    const tailStart = Math.max(head, size - FINGERPRINT_BLOCK_BYTES);
    hash.update(await readBlock(file, tailStart, size - tailStart));
    return hash.digest('hex');
  } finally {
    await file.close();
  }
}

/** `length` bytes of `file` from `position` (fewer if the file is shorter by now). */
async function readBlock(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
