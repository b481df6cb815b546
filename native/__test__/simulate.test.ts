import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ReadBatch, ReadSimulator, Reference, simulateToFiles } from '../index.js';
import * as ts from '../reference/simulate.js';
import {
  applyVariants,
  bytesOf,
  parseFasta,
  parseFastq,
  parseVcf,
  readOrigin,
  readWindow,
  reverseComplement,
  scratchDir,
} from './helpers.js';

const dir = scratchDir('simulate');

function expectSameBatch(native: ReadBatch, reference: ReadBatch): void {
  expect(native.reads).toBe(reference.reads);
  expect(native.paired).toBe(reference.paired);
  expect(native.sequence).toBe(reference.sequence);
  expect(native.firstRead).toBe(reference.firstRead);
  for (const field of ['bases', 'qualities', 'offsets', 'names', 'nameOffsets'] as const) {
    expect(bytesOf(native[field]).equals(bytesOf(reference[field])), field).toBe(true);
  }
}

describe('simulateToFiles', () => {
  it('should write byte-identical files for the same seed and flags', async () => {
    const run = async (name: string, seed: number) => {
      const out = join(dir, name);
      await simulateToFiles({
        referenceLength: 50_000,
        referenceOut: `${out}.fa`,
        reads: 3000,
        seed,
        out: `${out}_1.fq.gz`,
        out2: `${out}_2.fq`,
        truth: `${out}.vcf`,
      });
      return ['.fa', '_1.fq.gz', '_2.fq', '.vcf'].map((suffix) => readFileSync(`${out}${suffix}`));
    };
    const first = await run('a', 42);
    const second = await run('b', 42);
    const other = await run('c', 43);
    for (const [i, bytes] of first.entries()) {
      expect(bytes.equals(second[i] as Buffer), `file ${i}`).toBe(true);
      expect(bytes.equals(other[i] as Buffer), `file ${i}`).toBe(false);
    }
    expect(parseFastq(gunzipSync(first[1] as Buffer).toString())).toHaveLength(3000);
  });

  it('should report progress up to the total and summarise what it wrote', async () => {
    const reports: { done: number; total: number }[] = [];
    const summary = await simulateToFiles(
      { referenceLength: 20_000, reads: 10_000, readLength: 100, out: join(dir, 'progress.fq') },
      (progress) => reports.push(progress),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(reports.at(-1)).toEqual({ done: 10_000, total: 10_000 });
    expect(summary).toMatchObject({ reads: 10_000, bases: 1_000_000, contigs: 1, referenceLength: 20_000 });
  });

  it('should stop when its signal is aborted', async () => {
    const controller = new AbortController();
    const running = simulateToFiles(
      { referenceLength: 100_000, reads: 50_000_000, out: join(dir, 'aborted.fq') },
      undefined,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toThrow(/abort/i);
  });
});

describe('the TypeScript reference simulator', () => {
  it('should make the same random reference and truth as the native one', () => {
    const native = Reference.random(30_001, 5, 'chrR');
    const reference = ts.randomReference(30_001, 5, 'chrR');
    expect(native.sequence('chrR').equals(Buffer.from((reference[0] as ts.Contig).sequence))).toBe(true);
    const options = { mutationRate: 0.01, indelFraction: 0.4, seed: 5 };
    expect(native.mutate(options).truth).toEqual(ts.mutate(reference, options).truth);
  });

  it.each([
    { paired: false, errorRate: 0.001 },
    { paired: true, errorRate: 0.05 },
  ])('should produce identical reads (%o)', (readOptions) => {
    const native = Reference.random(40_000, 9);
    const sample = native.mutate({ seed: 9, mutationRate: 0.005 });
    const tsSample = ts.mutate(ts.randomReference(40_000, 9), { seed: 9, mutationRate: 0.005 });
    const options = { ...readOptions, seed: 9, readLength: 101, insertMean: 300, insertSd: 30 };
    const nativeSimulator = new ReadSimulator(sample, options);
    const tsSimulator = new ts.ReadSimulator(tsSample, options);
    for (const size of [1, 500, 37, 2048]) {
      expectSameBatch(nativeSimulator.nextBatch(size), tsSimulator.nextBatch(size));
    }
    expect(nativeSimulator.fragmentsSimulated).toBe(tsSimulator.fragmentsSimulated);
  });

  it('should write the same files from a multi-contig FASTA with N runs', async () => {
    const fasta = join(dir, 'multi.fa');
    const contig = (seed: number, length: number) =>
      Buffer.from((ts.randomReference(length, seed)[0] as ts.Contig).sequence).toString();
    writeFileSync(
      fasta,
      `>chr1 first\n${contig(1, 3000).toLowerCase()}\n>chr2\n${'N'.repeat(500)}${contig(2, 2500)}\n>chrM\n${contig(3, 400)}\n`,
    );
    const options = { reads: 2000, readLength: 120, mutationRate: 0.01, errorRate: 0.01, seed: 3 };
    await simulateToFiles({
      ...options,
      reference: fasta,
      out: join(dir, 'multi_1.fq'),
      out2: join(dir, 'multi_2.fq'),
      truth: join(dir, 'multi.vcf'),
      referenceOut: join(dir, 'multi.out.fa'),
    });
    const contigs = [...parseFasta(readFileSync(fasta, 'utf8'))].map(([name, sequence]) => ({
      name,
      sequence: Buffer.from(sequence),
    }));
    const expected = ts.simulateFiles({ ...options, reference: contigs, paired: true });
    expect(readFileSync(join(dir, 'multi_1.fq'), 'utf8')).toBe(expected.out);
    expect(readFileSync(join(dir, 'multi_2.fq'), 'utf8')).toBe(expected.out2);
    expect(readFileSync(join(dir, 'multi.vcf'), 'utf8')).toBe(expected.truth);
    expect(readFileSync(join(dir, 'multi.out.fa'), 'utf8')).toBe(expected.reference);
  });
});

describe('the truth set', () => {
  it('should match the mutations actually present in the reads', async () => {
    const readLength = 100;
    await simulateToFiles({
      referenceLength: 60_000,
      referenceOut: join(dir, 'truth.fa'),
      reads: 12_000,
      readLength,
      mutationRate: 0.004,
      indelFraction: 0.3,
      errorRate: 0,
      seed: 11,
      out: join(dir, 'truth_1.fq'),
      out2: join(dir, 'truth_2.fq'),
      truth: join(dir, 'truth.vcf'),
    });
    const reference = parseFasta(readFileSync(join(dir, 'truth.fa'), 'utf8')).get('random') as string;
    const variants = parseVcf(readFileSync(join(dir, 'truth.vcf'), 'utf8'));
    expect(variants.length).toBeGreaterThan(150);
    expect(new Set(variants.map((v) => v.type))).toEqual(new Set(['SNV', 'INSERTION', 'DELETION']));
    // Rebuild both haplotypes from reference + truth alone, independently of the simulator.
    const haplotypes = [applyVariants(reference, variants, 0), applyVariants(reference, variants, 1)];
    const reads = [
      ...parseFastq(readFileSync(join(dir, 'truth_1.fq'), 'utf8')),
      ...parseFastq(readFileSync(join(dir, 'truth_2.fq'), 'utf8')),
    ];
    const covered = new Set<(typeof variants)[number]>();
    for (const read of reads) {
      const origin = readOrigin(read.name);
      const haplotype = haplotypes[origin.haplotype] as (typeof haplotypes)[number];
      const { from, reverse } = readWindow(origin, readLength);
      const window = haplotype.sequence.slice(from, from + readLength);
      expect(reverse ? reverseComplement(window) : window, read.name).toBe(read.bases);
      for (const [variant, at] of haplotype.altStarts) {
        if (at >= from && at + variant.alt.length <= from + readLength) covered.add(variant);
      }
    }
    // At ~40× every variant is carried whole by some read; each read equals its
    // haplotype window, so the alternate alleles are in the reads.
    expect(covered.size / variants.length).toBeGreaterThan(0.99);
  });

  it('should add sequencing errors at the requested rate with qualities that say so', async () => {
    await simulateToFiles({
      referenceLength: 30_000,
      referenceOut: join(dir, 'errors.fa'),
      reads: 5000,
      mutationRate: 0,
      errorRate: 0.01,
      seed: 2,
      out: join(dir, 'errors.fq'),
    });
    const reference = parseFasta(readFileSync(join(dir, 'errors.fa'), 'utf8')).get('random') as string;
    let mismatches = 0;
    let bases = 0;
    let expectedErrors = 0;
    for (const read of parseFastq(readFileSync(join(dir, 'errors.fq'), 'utf8'))) {
      const { from, reverse } = readWindow(readOrigin(read.name), 150);
      const window = reference.slice(from, from + 150);
      const truth = reverse ? reverseComplement(window) : window;
      for (let i = 0; i < 150; i++) {
        if (truth[i] !== read.bases[i]) mismatches += 1;
        expectedErrors += 10 ** (-(read.qualities.charCodeAt(i) - 33) / 10);
      }
      bases += 150;
    }
    expect(mismatches / bases).toBeGreaterThan(0.008);
    expect(mismatches / bases).toBeLessThan(0.012);
    // Qualities are calibrated: their error probabilities add up to the errors seen.
    expect(expectedErrors / mismatches).toBeGreaterThan(0.85);
    expect(expectedErrors / mismatches).toBeLessThan(1.15);
  });
});
