import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileIntake } from '../../src/pipeline/file-intake.js';
import { type RunFolderEvent, type RunFolderReads, RunFolderWatcher } from '../../src/watch/index.js';
import { scratchInputDir, writeReadsFile } from '../watch/run-folders.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('taking the files of a run folder ahead of the reader', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let watcher: RunFolderWatcher;
  let intake: FileIntake | undefined;
  /** Each ledger write: the files it entered. */
  let writes: string[][];
  const enter = async (events: readonly RunFolderEvent[]): Promise<RunFolderReads[]> => {
    const reads = events.filter((event): event is RunFolderReads => event.type === 'reads');
    writes.push(reads.map((file) => file.file));
    return reads;
  };
  const chunk = (barcode: number, n: number) => join(inputDir, `run/fastq_pass/barcode0${barcode}/run_${n}.fastq`);

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
    writes = [];
  });
  afterEach(async () => {
    intake?.close();
    watcher?.close();
    await remove();
  });

  const open = async (depth: number) => {
    watcher = await RunFolderWatcher.open({ inputDir, directory: 'run', settleMs: 100, pollIntervalMs: 50 });
    intake = new FileIntake(watcher, enter, depth);
    return intake;
  };

  it('should enter the files waiting together in one ledger write, and hand them out in arrival order', async () => {
    for (let barcode = 1; barcode <= 6; barcode += 1) await writeReadsFile(chunk(barcode, 0), 2);
    await writeFile(join(inputDir, 'run/final_summary_run.txt'), '');
    await sleep(150);
    const taking = await open(16);

    const taken: string[] = [];
    for (let reads = await taking.next(); reads; reads = await taking.next()) taken.push(reads.file);

    expect(taken).toHaveLength(6);
    expect(writes).toEqual([taken]);
  });

  it('should hold no more than its depth entered ahead, and take nothing more while paused', async () => {
    for (let barcode = 1; barcode <= 8; barcode += 1) await writeReadsFile(chunk(barcode, 0), 2);
    await sleep(150);
    const taking = await open(3);
    await sleep(300);
    const heldAhead = taking.waiting.filesWaiting;
    taking.pause();
    await taking.next();
    await sleep(300);
    const heldWhilePaused = taking.waiting.filesWaiting;
    const enteredWhilePaused = writes.flat().length;
    taking.resume();
    await sleep(300);

    expect(heldAhead).toBe(3);
    expect(heldWhilePaused).toBe(2);
    expect(enteredWhilePaused).toBe(3);
    expect(writes.flat()).toHaveLength(4);
    expect(watcher.backlog.filesWaiting).toBe(4);
  });
});
