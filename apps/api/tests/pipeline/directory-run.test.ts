import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { resumeInterruptedRun } from '../../src/pipeline/resume.js';
import { scratchInputDir, writeReadsFile } from '../watch/run-folders.js';

/** A FASTA reference of random bases, long enough to build an index over. */
async function writeReference(path: string, length = 5_000): Promise<void> {
  const bases = Array.from({ length }, (_, index) => 'ACGT'[(index * 7919 + (index >> 3)) % 4]).join('');
  await writeFile(path, `>contig1\n${bases}\n`);
}

describe('a DIRECTORY run', () => {
  let inputDir: string;
  let remove: () => Promise<void>;
  let store: MemoryResultStore;
  let pipeline: Pipeline;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
    store = new MemoryResultStore();
    pipeline = new Pipeline({ store, folders: { inputDir, settleMs: 300, pollIntervalMs: 50 } });
  });
  afterEach(async () => {
    await pipeline.close();
    await remove();
  });

  it('should take every file once, leave the files not yet read on disk, and end at the end marker', async () => {
    const runDir = join(inputDir, 'run-1');
    await mkdir(runDir, { recursive: true });
    await writeReference(join(inputDir, 'reference.fa'));
    for (let file = 0; file < 6; file += 1) {
      await writeReadsFile(join(runDir, 'fastq_pass', 'barcode01', `run-1_${file}.fastq.gz`), 100);
    }

    const handle = await pipeline.start({
      source: 'DIRECTORY',
      directory: 'run-1',
      referencePath: join(inputDir, 'reference.fa'),
      batchSize: 10,
      readsPerSecond: 400,
      workers: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const midway = pipeline.metrics();
    await writeFile(join(runDir, 'final_summary_run-1.txt'), 'done\n');
    const outcome = await pipeline.whenRunEnds();

    expect(midway.filesWaiting).toBeGreaterThanOrEqual(3);
    expect(midway.bytesWaiting).toBeGreaterThan(0);
    expect(outcome.status).toBe('COMPLETED');
    expect(outcome.totals.readsAnalysed).toBe(600);
    const files = await store.runFiles(handle.id);
    expect(files).toHaveLength(6);
    expect(files.every((file) => file.state === 'DONE' && file.reads === 100)).toBe(true);
    expect(pipeline.metrics().filesWaiting).toBe(0);
  });

  it('should refuse a run folder outside the input directory, naming the field', async () => {
    await writeReference(join(inputDir, 'reference.fa'));
    await expect(
      pipeline.start({ source: 'DIRECTORY', directory: '../elsewhere', referencePath: join(inputDir, 'reference.fa') }),
    ).rejects.toMatchObject({ field: 'directory' });
  });

  it('should stop on request, leaving a file cut short TAKEN so it is read again', async () => {
    await writeReference(join(inputDir, 'reference.fa'));
    await writeReadsFile(join(inputDir, 'run-2', 'reads.fastq'), 400);
    const handle = await pipeline.start({
      source: 'DIRECTORY',
      directory: 'run-2',
      referencePath: join(inputDir, 'reference.fa'),
      batchSize: 10,
      readsPerSecond: 200,
      workers: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const outcome = await pipeline.stop(true);

    expect(outcome.status).toBe('STOPPED');
    expect(await store.runFiles(handle.id)).toMatchObject([{ state: 'TAKEN', reads: 0 }]);
  });

  it('should stay RUNNING when suspended mid-file, and resume under its id reading that file again in full', async () => {
    await writeReference(join(inputDir, 'reference.fa'));
    const runDir = join(inputDir, 'run-3');
    await writeReadsFile(join(runDir, 'first.fastq'), 50);
    await writeReadsFile(join(runDir, 'second.fastq'), 400);
    const handle = await pipeline.start({
      source: 'DIRECTORY',
      directory: 'run-3',
      referencePath: join(inputDir, 'reference.fa'),
      batchSize: 10,
      readsPerSecond: 200,
      workers: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const suspended = await pipeline.suspend();
    const ledgerWhenSuspended = (await store.runFiles(handle.id)).map(({ state, reads }) => ({ state, reads }));

    const restarted = new Pipeline({ store, folders: { inputDir, settleMs: 300, pollIntervalMs: 50 } });
    try {
      const { resumed } = await resumeInterruptedRun(restarted, store);
      await writeFile(join(runDir, 'final_summary_run-3.txt'), 'done\n');
      const outcome = await restarted.whenRunEnds();

      expect(suspended.status).toBe('RUNNING');
      expect(store.runs.get(handle.id)?.status).toBe('COMPLETED');
      expect(ledgerWhenSuspended).toEqual([
        { state: 'DONE', reads: 50 },
        { state: 'TAKEN', reads: 0 },
      ]);
      expect(resumed?.id).toBe(handle.id);
      expect(outcome.totals.readsAnalysed).toBe(450);
      expect((await store.runFiles(handle.id)).map(({ state, reads }) => ({ state, reads }))).toEqual([
        { state: 'DONE', reads: 50 },
        { state: 'DONE', reads: 400 },
      ]);
    } finally {
      await restarted.close();
    }
  });

  it('should store each batch of a file read again after a suspend once, and go on counting batches from before it', async () => {
    await writeReference(join(inputDir, 'reference.fa'));
    const runDir = join(inputDir, 'run-4');
    await writeReadsFile(join(runDir, 'first.fastq'), 50);
    await writeReadsFile(join(runDir, 'second.fastq'), 400);
    const handle = await pipeline.start({
      source: 'DIRECTORY',
      directory: 'run-4',
      referencePath: join(inputDir, 'reference.fa'),
      batchSize: 10,
      readsPerSecond: 200,
      workers: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const suspended = await pipeline.suspend();

    const restarted = new Pipeline({ store, folders: { inputDir, settleMs: 300, pollIntervalMs: 50 } });
    try {
      await resumeInterruptedRun(restarted, store);
      await writeFile(join(runDir, 'final_summary_run-4.txt'), 'done\n');
      const outcome = await restarted.whenRunEnds();
      const analyses = [...store.analyses.values()].filter((row) => row.runId === handle.id);

      expect(suspended.totals.batchesAnalysed).toBeGreaterThan(5);
      expect(analyses).toHaveLength(45);
      expect(analyses.reduce((reads, row) => reads + row.reads, 0)).toBe(450);
      expect(outcome.totals.batchesAnalysed).toBe(45);
      expect(store.runs.get(handle.id)?.batchesAnalysed).toBe(45);
    } finally {
      await restarted.close();
    }
  });
});
