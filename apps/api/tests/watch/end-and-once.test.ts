import { appendFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunFolderEvent, RunFolderGoneError, RunFolderWatcher } from '../../src/watch/index.js';
import { eventsToTheEnd, fastqText, nextWithin, scratchInputDir, takenFiles, writeReadsFile } from './run-folders.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a followed run', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let watcher: RunFolderWatcher | undefined;
  const barcode = (n: number, chunk: number) => join(inputDir, `run/fastq_pass/barcode0${n}/run_${chunk}.fastq.gz`);

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(async () => {
    watcher?.close();
    await remove();
  });

  const open = (options: Partial<Parameters<typeof RunFolderWatcher.open>[0]> = {}) =>
    RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 200, pollIntervalMs: 50, ...options });

  it('should hand out every file once, in arrival order, as the run is written, and end after the marker', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    watcher = await open();
    const events = eventsToTheEnd(watcher);
    for (let chunk = 1; chunk <= 3; chunk += 1) {
      await sleep(250);
      await writeReadsFile(barcode(1, chunk), 2, { fresh: true });
      await writeReadsFile(barcode(2, chunk), 2, { fresh: true });
    }
    await sleep(250);
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');

    const taken = takenFiles(await events);

    expect(taken).toHaveLength(7);
    expect(new Set(taken).size).toBe(7);
    expect(taken.filter((file) => file.startsWith('barcode01'))).toEqual([
      'barcode01: run_0.fastq.gz',
      'barcode01: run_1.fastq.gz',
      'barcode01: run_2.fastq.gz',
      'barcode01: run_3.fastq.gz',
    ]);
    expect(taken.indexOf('barcode02: run_1.fastq.gz')).toBeLessThan(taken.indexOf('barcode01: run_2.fastq.gz'));
  });

  it('should not end at the marker before the files written just before it are complete', async () => {
    await writeReadsFile(barcode(1, 0), 2, { fresh: true });
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');
    watcher = await open({ settleMs: 500 });

    expect(takenFiles(await eventsToTheEnd(watcher))).toEqual(['barcode01: run_0.fastq.gz']);
  });

  it('should skip the files it is told were taken already', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    await writeReadsFile(barcode(1, 1), 2);
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');
    watcher = await open({ taken: new Set([barcode(1, 0)]) });

    expect(takenFiles(await eventsToTheEnd(watcher))).toEqual(['barcode01: run_1.fastq.gz']);
  });

  it('should warn, and not read it again, when a file changes after it was taken', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    watcher = await open();
    expect(takenFiles([await nextWithin(watcher, 2_000)])).toEqual(['barcode01: run_0.fastq.gz']);

    await appendFile(barcode(1, 0), fastqText(1));
    const warning = await nextWithin(watcher, 2_000);
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');

    expect(warning).toMatchObject({ type: 'warning', code: 'CHANGED_AFTER_TAKEN', path: barcode(1, 0) });
    expect(takenFiles(await eventsToTheEnd(watcher))).toEqual([]);
  });

  it('should warn of a change to a file an earlier process took, when told its size and time', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    const { mtimeMs } = await stat(barcode(1, 0));
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');
    watcher = await open({ taken: new Map([[barcode(1, 0), { size: 1, mtime: mtimeMs }]]) });

    const events = await eventsToTheEnd(watcher);

    expect(events.map((event) => event.type === 'warning' && event.code)).toEqual(['CHANGED_AFTER_TAKEN']);
  });

  it('should leave out, with a warning, a temporary file that never became complete after the marker', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    await writeReadsFile(`${barcode(1, 1)}.tmp`, 2);
    await writeFile(join(inputDir, 'run/final_summary_FAX1.txt'), '');
    watcher = await open();

    const events = await eventsToTheEnd(watcher);

    expect(takenFiles(events)).toEqual(['barcode01: run_0.fastq.gz']);
    expect(events.filter((event) => event.type === 'warning')).toMatchObject([
      { code: 'PARTIAL_FILE_ABANDONED', path: `${barcode(1, 1)}.tmp` },
    ]);
  });

  it('should not look at the folder while nobody pulls, and report the backlog it saw last', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    await writeReadsFile(barcode(1, 1), 2);
    watcher = await open();
    await nextWithin(watcher, 2_000);
    const { size } = await stat(barcode(1, 1));
    expect(watcher.backlog).toEqual({ filesWaiting: 1, bytesWaiting: size, filesWriting: 0, endMarkerSeen: false });

    const scans = watcher.scans;
    await writeReadsFile(barcode(1, 2), 2);
    await sleep(300);

    expect(watcher.scans).toBe(scans);
    expect(watcher.backlog.filesWaiting).toBe(1);
    expect(takenFiles([await nextWithin(watcher, 2_000), await nextWithin(watcher, 2_000)])).toEqual([
      'barcode01: run_1.fastq.gz',
      'barcode01: run_2.fastq.gz',
    ]);
  });

  it('should rescan only at the poll interval while an R1 waits for its mate, not in a loop', async () => {
    await writeReadsFile(join(inputDir, 'run/A_S1_L001_R1_001.fastq.gz'), 2);
    watcher = await open({ pollIntervalMs: 200 });

    expect(await nextWithin(watcher, 700)).toBe('nothing');
    expect(watcher.scans).toBeGreaterThanOrEqual(2);
    expect(watcher.scans).toBeLessThanOrEqual(6);
  });

  it('should end with RunFolderGoneError when the run folder is deleted mid-run', async () => {
    await writeReadsFile(barcode(1, 0), 2);
    watcher = await open();
    await nextWithin(watcher, 2_000);

    await rm(join(inputDir, 'run'), { recursive: true });

    await expect(watcher.next()).rejects.toBeInstanceOf(RunFolderGoneError);
    expect(await watcher.next()).toEqual({ done: true, value: undefined });
  });

  it('should end a pending pull when closed', async () => {
    await mkdir(join(inputDir, 'run'));
    watcher = await open();
    const pending: Promise<IteratorResult<RunFolderEvent>> = watcher.next();
    await sleep(100);

    watcher.close();

    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
