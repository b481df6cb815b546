import { open, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

const SAMPLE_BYTES = 1 << 20;

/**
 * Estimates how many reads FASTQ files hold from their sizes and the records in their first
 * megabyte (decompressed when gzip), so a progress bar can show an ETA without a first pass.
 */
export async function estimateReads(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const { size } = await stat(file);
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const sample = buffer.subarray(0, bytesRead);
      const text = file.endsWith('.gz') ? gunzipPrefix(sample) : sample;
      let lines = 0;
      for (const byte of text) if (byte === 10) lines += 1;
      const records = lines / 4;
      if (records > 0) total += Math.round((records * size) / bytesRead);
    } finally {
      await handle.close();
    }
  }
  return total;
}

/** Decompresses as much of a gzip prefix as is complete. */
function gunzipPrefix(prefix: Buffer): Buffer {
  try {
    return gunzipSync(prefix, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a truncated stream */ });
  } catch {
    return Buffer.alloc(0);
  }
}
