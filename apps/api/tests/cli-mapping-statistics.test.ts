import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHelix } from './support/process.js';
import { randomSequence, requireWgsim, runWgsim, writeFasta } from './support/wgsim.js';

/** 50 kbp reference; wgsim reads of 100 bp without errors or mutations map exactly once. */
const REFERENCE_LENGTH = 50_000;
const READ_LENGTH = 100;
const REFERENCE_READS = 3_000;
const FOREIGN_READS = 1_000;
/** Depth counts a read only 3 bases inside each end of its alignment (the pileup's SNV margin). */
const COUNTED_BASES = READ_LENGTH - 2 * 3;

/** Runs `helix analyze` and resolves with its exit code and everything it printed. */
async function analyze(args: string[]): Promise<{ code: number | null; output: string }> {
  const helix = runHelix(['analyze', ...args], {});
  const code = await helix.exited;
  return { code, output: helix.output() };
}

/** The number `pattern` captures in `text` (thousands separators dropped). */
function printed(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`${pattern} is not in:\n${text}`);
  return Number(match[1].replaceAll(',', ''));
}

describe('helix analyze mapping statistics', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);

  beforeAll(async () => {
    requireWgsim();
    directory = await mkdtemp(join(tmpdir(), 'helix-mapping-'));
    await writeFasta(file('ref.fa'), new Map([['chr', randomSequence(REFERENCE_LENGTH, 13)]]));
    await writeFasta(file('foreign.fa'), new Map([['other', randomSequence(REFERENCE_LENGTH, 99)]]));
    const wgsim = (reference: string, reads: number, out: string, seed: number) =>
      runWgsim([
        '-N',
        String(reads),
        '-1',
        String(READ_LENGTH),
        '-2',
        String(READ_LENGTH),
        '-e',
        '0',
        '-r',
        '0',
        '-R',
        '0',
        '-S',
        String(seed),
        file(reference),
        file(`${out}_R1.fq`),
        file(`${out}_R2.fq`),
      ]);
    await wgsim('ref.fa', REFERENCE_READS, 'ours', 1);
    await wgsim('foreign.fa', FOREIGN_READS, 'foreign', 2);
    const ours = await readFile(file('ours_R1.fq'), 'utf8');
    const foreign = await readFile(file('foreign_R1.fq'), 'utf8');
    await writeFile(file('mixed_R1_001.fastq'), ours + foreign);
    await writeFile(file('empty.fq'), '');
  }, 60_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should report as mapped exactly the reads simulated from the reference, and their depth and breadth', async () => {
    const { code, output } = await analyze([
      '--reference',
      file('ref.fa'),
      '--reads',
      file('mixed_R1_001.fastq'),
      '--vcf',
      file('mixed.vcf'),
    ]);
    expect(code).toBe(0);
    const total = REFERENCE_READS + FOREIGN_READS;
    expect(output).toContain(
      `sample mixed: 3,000 of 4,000 reads mapped (${((100 * REFERENCE_READS) / total).toFixed(2)}%)`,
    );
    expect(output).toContain('properly paired: single-end reads');
    // Every mapped read adds its counted bases once: the mean is arithmetic, not an estimate.
    const meanDepth = printed(output, /mean depth ([\d.]+)×/);
    expect(meanDepth).toBeCloseTo((REFERENCE_READS * COUNTED_BASES) / REFERENCE_LENGTH, 1);
    // 5.6× of uniformly placed reads leaves e^-5.6 ≈ 0.4% uncovered and ~7% at 10× or more.
    expect(printed(output, /breadth ([\d.]+)% ≥1×/)).toBeGreaterThan(98);
    expect(printed(output, /, ([\d.]+)% ≥10×/)).toBeLessThan(20);
    expect(output).not.toContain('warning');
    expect(await readFile(file('mixed.vcf'), 'utf8')).toContain('FORMAT\tmixed\n');
  });

  it('should count mates simulated at one insert size as properly paired', async () => {
    const { code, output } = await analyze([
      '--reference',
      file('ref.fa'),
      '--reads',
      file('ours_R1.fq'),
      file('ours_R2.fq'),
      '--vcf',
      file('pairs.vcf'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('sample ours: 6,000 of 6,000 reads mapped (100.00%)');
    // wgsim's templates are 500 ± 50 bp: proper pairs, but for the odd one four deviations away.
    const properlyPaired = printed(output, /properly paired: ([\d,]+) of 6,000 reads/);
    expect(properlyPaired).toBeGreaterThanOrEqual(0.995 * 6_000);
    expect(properlyPaired % 2).toBe(0);
    expect(printed(output, /mean depth ([\d.]+)×/)).toBeCloseTo(
      (2 * REFERENCE_READS * COUNTED_BASES) / REFERENCE_LENGTH,
      1,
    );
  });

  it('should name the VCF column after --sample', async () => {
    const { code, output } = await analyze([
      '--reference',
      file('ref.fa'),
      '--reads',
      file('ours_R1.fq'),
      '--sample',
      'evolved line 3',
      '--vcf',
      file('named.vcf'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('sample evolved line 3: 3,000 of 3,000 reads mapped');
    expect(await readFile(file('named.vcf'), 'utf8')).toContain('FORMAT\tevolved line 3\n');
  });

  it('should warn that an empty reads file held no reads, and still succeed', async () => {
    const { code, output } = await analyze([
      '--reference',
      file('ref.fa'),
      '--reads',
      file('empty.fq'),
      '--vcf',
      file('empty.vcf'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain(`warning: ${file('empty.fq')} held no reads: nothing was mapped or called`);
  });

  it('should warn when none of the reads maps to the reference, and still succeed', async () => {
    const { code, output } = await analyze([
      '--reference',
      file('ref.fa'),
      '--reads',
      file('foreign_R1.fq'),
      '--vcf',
      file('foreign.vcf'),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('sample foreign: 0 of 1,000 reads mapped (0.00%)');
    expect(output).toContain(`warning: none of the 1,000 reads of ${file('foreign_R1.fq')} mapped to the reference`);
  });
});
