import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenInputFileError } from '../../src/auth/input-files.js';
import { RunFolderWatcher } from '../../src/watch/index.js';
import { eventsToTheEnd, scratchInputDir, takenFiles, writeReadsFile } from './run-folders.js';

describe('a run folder and the input directory', () => {
  let inputDir: string;
  let outside: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
    outside = await mkdtemp(join(tmpdir(), 'helix-outside-'));
    await writeReadsFile(join(outside, 'secret.fastq'), 2);
    await writeReadsFile(join(outside, 'barcode09/secret.fastq'), 2);
  });
  afterEach(async () => {
    await remove();
    await rm(outside, { recursive: true, force: true });
  });

  const open = (directory: string) => RunFolderWatcher.open({ inputDir, directory, settleMs: 200, pollIntervalMs: 50 });

  it('should refuse a folder that does not exist, is not a folder, or lies outside the input directory', async () => {
    await writeFile(join(inputDir, 'reads.fastq'), '');

    await expect(open('no-such-run')).rejects.toThrow(/no such folder in the input directory: no-such-run/);
    await expect(open('reads.fastq')).rejects.toThrow(/reads.fastq is not a directory/);
    await expect(open('../elsewhere')).rejects.toThrow(/must not contain "\.\." segments/);
    await expect(open(outside)).rejects.toThrow(/must name a folder inside the input directory/);
    await expect(open('')).rejects.toBeInstanceOf(ForbiddenInputFileError);
  });

  it('should refuse a run folder that is a symbolic link out of the input directory', async () => {
    await symlink(outside, join(inputDir, 'linked-run'));

    await expect(open('linked-run')).rejects.toThrow(/leads outside the input directory/);
  });

  it('should warn of links out of the input directory inside the run, never read them, and follow links inside it', async () => {
    const run = join(inputDir, 'run');
    await writeReadsFile(join(run, 'fastq_pass/barcode01/run_0.fastq'), 2);
    await symlink(join(outside, 'secret.fastq'), join(run, 'fastq_pass/barcode01/run_1.fastq'));
    await symlink(join(outside, 'barcode09'), join(run, 'fastq_pass/barcode09'));
    await writeReadsFile(join(inputDir, 'shared/run_2.fastq'), 2);
    await mkdir(join(run, 'fastq_pass/barcode02'));
    await symlink(join(inputDir, 'shared/run_2.fastq'), join(run, 'fastq_pass/barcode02/run_2.fastq'));
    await writeFile(join(run, 'final_summary_x.txt'), '');

    const events = await eventsToTheEnd(await open('run'));

    expect(takenFiles(events).sort()).toEqual(['barcode01: run_0.fastq', 'barcode02: run_2.fastq']);
    expect(events.find((event) => event.type === 'reads' && event.sample === 'barcode02')).toMatchObject({
      paths: [join(inputDir, 'shared/run_2.fastq')],
    });
    const warnings = events.filter((event) => event.type === 'warning');
    expect(warnings.map((warning) => [warning.code, warning.path.split('/').slice(-2).join('/')]).sort()).toEqual([
      ['OUTSIDE_INPUT_DIR', 'barcode01/run_1.fastq'],
      ['OUTSIDE_INPUT_DIR', 'fastq_pass/barcode09'],
    ]);
  });
});
