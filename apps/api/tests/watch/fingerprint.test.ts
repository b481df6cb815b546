import { randomBytes } from 'node:crypto';
import { copyFile, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FINGERPRINT_BLOCK_BYTES,
  fingerprintFile,
  type RunFolderReads,
  RunFolderWatcher,
} from '../../src/watch/index.js';
import { eventsToTheEnd, nextWithin, scratchInputDir, writeReadsFile } from './run-folders.js';

describe('a file fingerprint', () => {
  let inputDir: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(async () => {
    await remove();
  });

  it('should stay the same when a file is touched or copied, and change when its content does', async () => {
    const path = join(inputDir, 'reads.fastq');
    await writeReadsFile(path, 5);
    const taken = await fingerprintFile(path);
    await utimes(path, new Date(), new Date());
    const touched = await fingerprintFile(path);
    await copyFile(path, join(inputDir, 'copy.fastq'));
    const copied = await fingerprintFile(join(inputDir, 'copy.fastq'));
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('ACGTACGTAC', 'ACGTACGTAA'));
    const rewritten = await fingerprintFile(path);

    expect(taken).toMatch(/^[0-9a-f]{64}$/);
    expect(touched).toBe(taken);
    expect(copied).toBe(taken);
    expect(rewritten).not.toBe(taken);
  });

  it('should read only the first and last blocks of a large file', async () => {
    const path = join(inputDir, 'large.fastq');
    const content = randomBytes(FINGERPRINT_BLOCK_BYTES * 4);
    await writeFile(path, content);
    const taken = await fingerprintFile(path);
    content[FINGERPRINT_BLOCK_BYTES * 2] = (content[FINGERPRINT_BLOCK_BYTES * 2] ?? 0) ^ 0xff;
    await writeFile(path, content);
    const middleChanged = await fingerprintFile(path);
    content[content.length - 1] = (content[content.length - 1] ?? 0) ^ 0xff;
    await writeFile(path, content);
    const tailChanged = await fingerprintFile(path);

    expect(middleChanged).toBe(taken);
    expect(tailChanged).not.toBe(taken);
  });
});

describe('a followed run with fingerprints', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let watcher: RunFolderWatcher | undefined;
  const reads = () => join(inputDir, 'run/fastq_pass/barcode01/run_0.fastq');

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(async () => {
    watcher?.close();
    await remove();
  });

  const open = (options: Partial<Parameters<typeof RunFolderWatcher.open>[0]> = {}) =>
    RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 200, pollIntervalMs: 50, ...options });
  const endRun = () => writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');

  it('should hand out each file with its place in the run folder and its fingerprint', async () => {
    await writeReadsFile(reads(), 3);
    watcher = await open();

    const event = (await nextWithin(watcher, 2_000)) as RunFolderReads;

    expect(event).toMatchObject({
      type: 'reads',
      file: 'fastq_pass/barcode01/run_0.fastq',
      fingerprints: [await fingerprintFile(reads())],
    });
  });

  it('should say nothing of a file touched after it was taken, its content the same', async () => {
    await writeReadsFile(reads(), 3);
    watcher = await open();
    expect(await nextWithin(watcher, 2_000)).toMatchObject({ type: 'reads' });

    await utimes(reads(), new Date(), new Date());
    const afterTouch = await nextWithin(watcher, 500);
    await endRun();

    expect(afterTouch).toBe('nothing');
    expect(await eventsToTheEnd(watcher)).toEqual([]);
  });

  it('should warn of a file rewritten to the same size with other content after it was taken', async () => {
    await writeReadsFile(reads(), 3);
    watcher = await open();
    expect(await nextWithin(watcher, 2_000)).toMatchObject({ type: 'reads' });

    const text = await readFile(reads(), 'utf8');
    await writeFile(reads(), text.replace('ACGTACGTAC', 'TTTTACGTAC'));
    const warning = await nextWithin(watcher, 2_000);
    await endRun();

    expect(warning).toMatchObject({
      type: 'warning',
      code: 'CHANGED_AFTER_TAKEN',
      message: expect.stringContaining('the same size, other content'),
    });
    expect(await eventsToTheEnd(watcher)).toEqual([]);
  });

  it('should tell a touch from a change of a file an earlier process took, by its fingerprint', async () => {
    await writeReadsFile(reads(), 3);
    const touched = join(inputDir, 'run/fastq_pass/barcode01/run_1.fastq');
    await writeReadsFile(touched, 3);
    const stamp = async (path: string) => {
      const { size, mtimeMs } = await stat(path);
      return { size, mtime: mtimeMs, fingerprint: await fingerprintFile(path) };
    };
    const taken = new Map([
      [reads(), await stamp(reads())],
      [touched, await stamp(touched)],
    ]);
    await writeFile(reads(), (await readFile(reads(), 'utf8')).replace('ACGTACGTAC', 'TTTTACGTAC'));
    const later = new Date(Date.now() - 30_000);
    await utimes(reads(), later, later);
    await utimes(touched, new Date(), new Date());
    await endRun();
    watcher = await open({ taken });

    const events = await eventsToTheEnd(watcher);

    expect(events).toEqual([expect.objectContaining({ code: 'CHANGED_AFTER_TAKEN', path: reads() })]);
  });
});
