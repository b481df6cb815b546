import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunFolderWatcher } from '../../src/watch/index.js';
import { eventsToTheEnd, scratchInputDir, takenFiles, writeReadsFile } from './run-folders.js';

describe('run folder layouts', () => {
  let inputDir: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(() => remove());

  const watch = (directory: string) =>
    RunFolderWatcher.open({ inputDir, directory, settleMs: 200, pollIntervalMs: 50 });

  it('should name MinKNOW samples after their barcode folders and leave fastq_fail alone', async () => {
    const run = join(inputDir, 'minknow');
    await writeReadsFile(join(run, 'fastq_pass/barcode01/FAX1_pass_barcode01_0.fastq.gz'), 3);
    await writeReadsFile(join(run, 'fastq_pass/barcode02/FAX1_pass_barcode02_0.fastq'), 2);
    await writeReadsFile(join(run, 'fastq_fail/barcode01/FAX1_fail_barcode01_0.fastq.gz'), 2);
    await writeReadsFile(join(run, 'fastq_pass/barcode01/sequencing_summary.txt'), 1);
    await writeFile(join(run, 'final_summary_FAX1_abc.txt'), 'instrument=MN1\n');

    const events = await eventsToTheEnd(await watch('minknow'));

    expect(takenFiles(events).sort()).toEqual([
      'barcode01: FAX1_pass_barcode01_0.fastq.gz',
      'barcode02: FAX1_pass_barcode02_0.fastq',
    ]);
  });

  it('should pair Illumina mates and name the sample before _S<n>, one pair per lane', async () => {
    const run = join(inputDir, 'illumina');
    for (const lane of ['L001', 'L002']) {
      await writeReadsFile(join(run, `Patient_7_S1_${lane}_R1_001.fastq.gz`), 4);
      await writeReadsFile(join(run, `Patient_7_S1_${lane}_R2_001.fastq.gz`), 4);
    }
    await writeReadsFile(join(run, 'Patient_7_S1_L001_I1_001.fastq.gz'), 4);
    await writeReadsFile(join(run, 'Control_S2_L001_R1_001.fastq.gz'), 4);
    await writeReadsFile(join(run, 'Control_S2_L001_R2_001.fastq.gz'), 4);
    await writeFile(join(run, 'CopyComplete.txt'), '');

    const events = await eventsToTheEnd(await watch('illumina'));

    expect(takenFiles(events).sort()).toEqual([
      'Control: Control_S2_L001_R1_001.fastq.gz + Control_S2_L001_R2_001.fastq.gz',
      'Patient_7: Patient_7_S1_L001_R1_001.fastq.gz + Patient_7_S1_L001_R2_001.fastq.gz',
      'Patient_7: Patient_7_S1_L002_R1_001.fastq.gz + Patient_7_S1_L002_R2_001.fastq.gz',
    ]);
  });

  it('should hold an R1 until its R2 is complete, and take a lone R1 by itself once the run has ended', async () => {
    const run = join(inputDir, 'pairs');
    await writeReadsFile(join(run, 'A_S1_L001_R1_001.fastq.gz'), 2);
    await writeReadsFile(join(run, 'B_S2_L001_R1_001.fastq.gz'), 2);
    const watcher = await watch('pairs');
    const first = watcher.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.backlog).toMatchObject({ filesWaiting: 2, endMarkerSeen: false });

    await writeReadsFile(join(run, 'A_S1_L001_R2_001.fastq.gz'), 2);
    expect(takenFiles([(await first).value])).toEqual(['A: A_S1_L001_R1_001.fastq.gz + A_S1_L001_R2_001.fastq.gz']);

    await writeFile(join(run, 'RTAComplete.txt'), '');
    expect(takenFiles(await eventsToTheEnd(watcher))).toEqual(['B: B_S2_L001_R1_001.fastq.gz']);
  });

  it('should read FASTQ directly in the folder as one sample named after the folder', async () => {
    const run = join(inputDir, 'sample-42');
    await writeReadsFile(join(run, 'part_1.fastq.gz'), 2);
    await writeReadsFile(join(run, 'part_2.fq'), 2);
    await writeReadsFile(join(run, 'notes.txt'), 2);
    await writeFile(join(run, 'final_summary.txt'), '');

    const events = await eventsToTheEnd(await watch('sample-42'));

    expect(takenFiles(events).sort()).toEqual(['sample-42: part_1.fastq.gz', 'sample-42: part_2.fq']);
  });
});
