import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Producer } from '@helix/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunFolderReads, RunFolderWatcher } from '../../src/watch/index.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { eventsToTheEnd, scratchInputDir } from './run-folders.js';

/** Reads in FASTQ files, counted by the pipeline's own reader. */
async function countReads(paths: readonly string[]): Promise<number> {
  const producer = Producer.fastq([...paths]);
  let reads = 0;
  try {
    for (let batch = await producer.next(); batch !== null; batch = await producer.next()) reads += batch.reads;
  } finally {
    producer.close();
  }
  return reads;
}

/** A watcher on a run folder that `helix` is about to create (polled for until it exists). */
async function openOnceItExists(inputDir: string, directory: string, helix: HelixProcess): Promise<RunFolderWatcher> {
  while (helix.child.exitCode === null) {
    const watcher = await RunFolderWatcher.open({ inputDir, directory, settleMs: 2_000, pollIntervalMs: 100 }).catch(
      () => undefined,
    );
    if (watcher !== undefined) return watcher;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`helix simulate ended before the run folder appeared:\n${helix.output()}`);
}

describe('helix simulate --run-dir', () => {
  let inputDir: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ inputDir, remove } = await scratchInputDir());
  });
  afterEach(() => remove());

  it('should write a MinKNOW run over time that the watcher follows to its end, every read of every sample once', async () => {
    const runDir = join(inputDir, 'run-2026-12-01');
    const finalSummary = join(runDir, 'final_summary_run-2026-12-01.txt');
    const flags = ['--samples', '3', '--reads', '1000', '--chunk-reads', '250', '--chunk-interval-ms', '700'];
    const helix = runHelix(
      ['simulate', '--run-dir', runDir, ...flags, '--reference-length', '8000', '--mutation-rate', '0.003'],
      {},
    );
    const watcher = await openOnceItExists(inputDir, 'run-2026-12-01', helix);

    const first = await watcher.next();
    const runWasGoingOn = !existsSync(finalSummary);
    const events = [...(first.done ? [] : [first.value]), ...(await eventsToTheEnd(watcher, 30_000))];

    expect(await helix.exited).toBe(0);
    expect(runWasGoingOn).toBe(true);
    const reads = events.filter((event): event is RunFolderReads => event.type === 'reads');
    expect(events.filter((event) => event.type === 'warning')).toEqual([]);
    expect(reads.map((event) => event.paths.join()).every((path) => path.endsWith('.fastq.gz'))).toBe(true);
    expect(new Set(reads.map((event) => event.paths[0])).size).toBe(12);
    const perSample = new Map<string, number>();
    for (const event of reads) {
      perSample.set(event.sample, (perSample.get(event.sample) ?? 0) + (await countReads(event.paths)));
    }
    expect(Object.fromEntries(perSample)).toEqual({ barcode01: 1000, barcode02: 1000, barcode03: 1000 });
    // Files renamed before the watch began wait out the settle time, so later ones may overtake them.
    const barcode02 = reads.filter((event) => event.sample === 'barcode02');
    expect(barcode02.map((event) => event.paths[0]?.split('/').at(-1)).sort()).toEqual([
      'run-2026-12-01_0.fastq.gz',
      'run-2026-12-01_1.fastq.gz',
      'run-2026-12-01_2.fastq.gz',
      'run-2026-12-01_3.fastq.gz',
    ]);
    expect(await readdir(join(runDir, 'fastq_pass/barcode02'))).toHaveLength(4);
    expect(helix.output()).toMatch(/wrote run .*: 3 samples × 1,000 reads in 4 files each/);
  });

  it('should give each sample its own injected mutations, in a truth VCF with the barcode as its sample', async () => {
    const runDir = join(inputDir, 'truths');
    const helix = runHelix(
      ['simulate', '--run-dir', runDir, '--samples', '2', '--reads', '10', '--chunk-interval-ms', '0'].concat([
        '--reference-length',
        '20000',
        '--mutation-rate',
        '0.002',
      ]),
      {},
    );
    expect(await helix.exited).toBe(0);

    const records = async (barcode: string) => {
      const vcf = await readFile(join(runDir, 'truth', `${barcode}.vcf`), 'utf8');
      expect(vcf).toMatch(new RegExp(`^#CHROM\\t.*\\tFORMAT\\t${barcode}$`, 'm'));
      return vcf.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    };
    const first = await records('barcode01');
    const second = await records('barcode02');
    expect(first.length).toBeGreaterThan(10);
    expect(second.length).toBeGreaterThan(10);
    expect(first).not.toEqual(second);
    expect(await readFile(join(runDir, 'reference.fa'), 'utf8')).toMatch(/^>random\n[ACGT]{60}\n/);
  });

  it('should exit 2 naming the flag for run flags without --run-dir, or more samples than barcodes', async () => {
    const alone = runHelix(['simulate', '--samples', '3', '--reference-length', '100', '--reads', '1'], {});
    expect(await alone.exited).toBe(2);
    expect(alone.output()).toContain('--samples needs --run-dir');

    const many = runHelix(['simulate', '--run-dir', join(inputDir, 'many'), '--samples', '97'], {});
    expect(await many.exited).toBe(2);
    expect(many.output()).toContain('--samples must be between 1 and 96');
  });
});
