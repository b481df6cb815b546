import { appendFile, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunFolderWatcher } from '../../src/watch/index.js';
import { fastqText, nextWithin, scratchInputDir, takenFiles, writeReadsFile } from './run-folders.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('when a file is complete', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let watcher: RunFolderWatcher | undefined;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(async () => {
    watcher?.close();
    await remove();
  });

  it('should not take a file while it grows, and take it once its size has held for the settle time', async () => {
    const file = join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq');
    await writeReadsFile(file, 1, { fresh: true });
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 400, pollIntervalMs: 50 });
    const pulled = nextWithin(watcher, 5_000);
    for (let step = 0; step < 8; step += 1) {
      await sleep(150);
      await appendFile(file, fastqText(1));
    }
    const grownAt = Date.now();
    const event = await pulled;

    expect(Date.now() - grownAt).toBeGreaterThanOrEqual(350);
    expect(event).toMatchObject({ type: 'reads', sample: 'barcode01', size: (await stat(file)).size });
  });

  it('should not rescan for every write to a growing file, only when names come and go', async () => {
    const file = join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq');
    await writeReadsFile(file, 1, { fresh: true });
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 60_000, pollIntervalMs: 10_000 });
    const pulled = nextWithin(watcher, 3_000);
    for (let step = 0; step < 20; step += 1) {
      await sleep(40);
      await appendFile(file, fastqText(1));
    }
    expect(watcher.scans).toBe(1);

    await writeReadsFile(join(inputDir, 'staging/run_1.fastq'), 1);
    await rename(join(inputDir, 'staging/run_1.fastq'), join(inputDir, 'run/fastq_pass/barcode01/run_1.fastq'));

    expect(takenFiles([await pulled])).toEqual(['barcode01: run_1.fastq']);
    expect(watcher.scans).toBe(2);
  });

  it('should take a file renamed from *.part at once, without waiting for it to settle', async () => {
    const part = join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq.gz.part');
    await writeReadsFile(part, 3, { fresh: true });
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 60_000, pollIntervalMs: 50 });
    const pulled = nextWithin(watcher, 5_000);
    while (watcher.backlog.filesWriting === 0) await sleep(20);

    await rename(part, part.replace(/\.part$/, ''));

    expect(takenFiles([await pulled])).toEqual(['barcode01: run_0.fastq.gz']);
  });

  it('should take a file at once when a change notice saw its *.tmp name, however quickly it was renamed', async () => {
    await mkdir(join(inputDir, 'run/fastq_pass/barcode01'), { recursive: true });
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 60_000, pollIntervalMs: 10_000 });
    const pulled = nextWithin(watcher, 3_000);
    await sleep(100);

    const file = join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq');
    await writeFile(`${file}.tmp`, fastqText(2));
    await rename(`${file}.tmp`, file);

    expect(takenFiles([await pulled])).toEqual(['barcode01: run_0.fastq']);
  });

  it('should never take a *.tmp or *.part file, and wait the settle time for a file written in place', async () => {
    await writeReadsFile(join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq.gz.tmp'), 3);
    await writeReadsFile(join(inputDir, 'run/fastq_pass/barcode01/run_1.fastq.gz.part'), 3);
    await writeReadsFile(join(inputDir, 'run/fastq_pass/barcode01/run_2.fastq.gz'), 3, { fresh: true });
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 60_000, pollIntervalMs: 50 });

    expect(await nextWithin(watcher, 800)).toBe('nothing');
    expect(watcher.backlog).toEqual({ filesWaiting: 0, bytesWaiting: 0, filesWriting: 3, endMarkerSeen: false });
  });

  it('should take a file written long before the watch began at first sight', async () => {
    await writeReadsFile(join(inputDir, 'run/reads.fastq'), 2);
    await writeFile(join(inputDir, 'run/notes.md'), 'not reads');
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 60_000, pollIntervalMs: 50 });

    expect(takenFiles([await nextWithin(watcher, 1_000)])).toEqual(['run: reads.fastq']);
  });
});
