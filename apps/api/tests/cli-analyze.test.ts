import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateToFiles } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBcftools } from './annotate/peer-tools.js';
import { runHelix } from './support/process.js';
import { accuracy, readVcfSites } from './support/vcf.js';

describe('helix analyze', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-analyze-'));
    // 200 kbp at 30x: 20,000 pairs of 150 bp.
    await simulateToFiles({
      referenceLength: 200_000,
      referenceOut: file('ref.fa'),
      reads: 20_000,
      out: file('reads_1.fq.gz'),
      out2: file('reads_2.fq.gz'),
      truth: file('truth.vcf'),
      mutationRate: 0.001,
      indelFraction: 0.15,
      errorRate: 0.002,
      seed: 2026,
    });
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should call simulated mutations with precision >= 0.99 and recall >= 0.98 for SNVs and indels', async () => {
    const helix = runHelix(
      [
        'analyze',
        '--reference',
        file('ref.fa'),
        '--reads',
        file('reads_1.fq.gz'),
        file('reads_2.fq.gz'),
        '--vcf',
        file('calls.vcf'),
      ],
      {},
    );
    expect(await helix.exited).toBe(0);
    expect(helix.output()).toMatch(/analysed 40,000 reads in [\d.]+ s \([\d,]+ reads\/s\): \d+ variants/);
    const called = await readVcfSites(file('calls.vcf'));
    const truth = await readVcfSites(file('truth.vcf'));
    const snvs = accuracy(called, truth, (type) => type === 'SNV');
    const indels = accuracy(called, truth, (type) => type !== 'SNV');
    console.log(`SNVs: ${JSON.stringify(snvs)}\nindels: ${JSON.stringify(indels)}`);
    expect(snvs.truth).toBeGreaterThan(100);
    expect(indels.truth).toBeGreaterThan(10);
    expect(snvs.precision).toBeGreaterThanOrEqual(0.99);
    expect(snvs.recall).toBeGreaterThanOrEqual(0.98);
    expect(indels.precision).toBeGreaterThanOrEqual(0.99);
    expect(indels.recall).toBeGreaterThanOrEqual(0.98);
  });

  it('should write VCF that bcftools accepts', () => {
    requireBcftools();
    const parsed = execFileSync('bcftools', ['view', '-H', file('calls.vcf')], { encoding: 'utf8' });
    expect(parsed.trim().split('\n').length).toBeGreaterThan(100);
  });

  it('should give every record the share of its alternate reads near a read end (INFO/RPE)', () => {
    requireBcftools();
    const fractions = execFileSync('bcftools', ['query', '-f', '%INFO/RPE\\n', file('calls.vcf')], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(fractions.length).toBeGreaterThan(100);
    expect(fractions.filter((fraction) => !(Number(fraction) >= 0 && Number(fraction) <= 1))).toEqual([]);
  });

  it('should write the VCF to stdout with --vcf -', async () => {
    const helix = runHelix(
      ['analyze', '--reference', file('ref.fa'), '--reads', file('reads_1.fq.gz'), '--vcf', '-'],
      {},
    );
    expect(await helix.exited).toBe(0);
    expect(helix.output()).toContain('##fileformat=VCFv4.3');
    expect(helix.output()).toContain('#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\treads_1');
  });

  it("should save the reference's index in the directory --index-dir names", async () => {
    const indexDir = file('indexes');
    const args = ['analyze', '--reference', file('ref.fa'), '--reads', file('reads_1.fq.gz'), '--vcf', '-'];
    const helix = runHelix([...args, '--index-dir', indexDir], {});
    expect(await helix.exited).toBe(0);
    expect(await readdir(indexDir)).toEqual([expect.stringMatching(/^ref\.fa\.[0-9a-f]{16}\.hix$/)]);
  });

  it('should exit 1 naming the file, record and problem for a malformed FASTQ', async () => {
    const bad = file('bad.fq');
    await writeFile(bad, '@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nIII\n');
    const helix = runHelix(['analyze', '--reference', file('ref.fa'), '--reads', bad, '--vcf', file('bad.vcf')], {});
    expect(await helix.exited).toBe(1);
    expect(helix.output()).toMatch(/bad\.fq: record 2/);
    expect(helix.output()).not.toMatch(/\n\s+at /);
  });

  it('should count and report reads with characters other than ACGTN instead of passing them silently', async () => {
    const ambiguous = file('ambiguous.fq');
    const read = 'ACGTRYACGT'.repeat(5);
    await writeFile(
      ambiguous,
      `@r1\n${read}\n+\n${'I'.repeat(read.length)}\n@r2\n${'ACGT'.repeat(10)}\n+\n${'I'.repeat(40)}\n`,
    );
    const helix = runHelix(
      ['analyze', '--reference', file('ref.fa'), '--reads', ambiguous, '--vcf', file('amb.vcf')],
      {},
    );
    expect(await helix.exited).toBe(0);
    expect(helix.output()).toContain('note: 1 reads held characters other than ACGTN');
  });

  it("should write a haploid call's genotype as GT 1 with --ploidy 1", async () => {
    const args = ['analyze', '--reference', file('ref.fa'), '--reads', file('reads_1.fq.gz'), file('reads_2.fq.gz')];
    const haploid = runHelix([...args, '--ploidy', '1', '--vcf', file('haploid.vcf')], {});
    expect(await haploid.exited).toBe(0);
    const genotypes = (await readFile(file('haploid.vcf'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t')[9]?.split(':')[0]);
    expect(genotypes.length).toBeGreaterThan(50);
    expect(new Set(genotypes)).toEqual(new Set(['1']));
  });

  it('should refuse a ploidy other than 1 or 2 as a usage error that names the flag', async () => {
    const args = ['analyze', '--reference', file('ref.fa'), '--reads', file('reads_1.fq.gz'), '--vcf', '-'];
    const triploid = runHelix([...args, '--ploidy', '3'], {});
    expect(await triploid.exited).toBe(2);
    expect(triploid.output()).toContain('--ploidy must be 1 (haploid) or 2 (diploid), got "3"');
  });

  it('should exit 1 naming a missing reference and 2 for a missing flag', async () => {
    const missing = runHelix(
      ['analyze', '--reference', file('nope.fa'), '--reads', file('reads_1.fq.gz'), '--vcf', '-'],
      {},
    );
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('nope.fa');
    const usage = runHelix(['analyze', '--reads', file('reads_1.fq.gz')], {});
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toContain('--reference');
  });
});
