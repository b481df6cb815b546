import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBcftools } from './annotate/peer-tools.js';
import { buildTestMixture, TEST_MIXTURE_FRACTIONS, type TestMixture } from './support/mixture.js';
import { runHelix } from './support/process.js';

/** `POS REF ALT` of each record of a VCF, left-normalised against `reference` by bcftools, with its FILTER. */
function normalisedRecords(vcf: string, reference: string, filter?: string): string[] {
  const normalised = execFileSync('bcftools', ['norm', '-f', reference, '-O', 'v', vcf], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const query = ['query', ...(filter ? ['-f', filter] : ['-f', '%POS %REF %ALT\\n']), '-'];
  return execFileSync('bcftools', query, { input: normalised, encoding: 'utf8' }).trim().split('\n').filter(Boolean);
}

describe('helix analyze --mode population', () => {
  let mixture: TestMixture;
  const file = (name: string) => join(mixture.directory, name);

  beforeAll(async () => {
    requireBcftools();
    mixture = await buildTestMixture();
  });

  afterAll(async () => {
    if (mixture) await rm(mixture.directory, { recursive: true, force: true });
  });

  it('should call the minor haplotypes of a mixture with their frequencies, per-strand counts and filters', async () => {
    const helix = runHelix(
      ['analyze', '--reference', mixture.referencePath, '--reads', ...mixture.reads, '--vcf', file('calls.vcf')],
      {},
    );
    const args = ['--mode', 'population'];
    const population = runHelix(
      ['analyze', ...args, '--reference', mixture.referencePath, '--reads', ...mixture.reads, '--vcf', file('pop.vcf')],
      {},
    );
    expect(await population.exited).toBe(0);
    expect(await helix.exited).toBe(0);
    // The whole VCF is valid; -f PASS keeps the calls the run counted as passing.
    const all = normalisedRecords(file('pop.vcf'), mixture.referencePath, '%POS %REF %ALT %FILTER\\n');
    const passing = all.filter((record) => record.endsWith(' PASS')).map((record) => record.replace(/ PASS$/, ''));
    const viewed = execFileSync('bcftools', ['view', '-H', '-f', 'PASS', file('pop.vcf')], { encoding: 'utf8' });
    expect(viewed.trim().split('\n').length).toBe(passing.length);
    expect(population.output()).toContain(`: ${passing.length} variants`);

    const truth = normalisedRecords(mixture.truthVcfPath, mixture.referencePath, '%POS %REF %ALT\t%INFO/AF\n').map(
      (record) => {
        const [key = '', frequency = ''] = record.split('\t');
        return { key, frequency: Number(frequency) };
      },
    );
    const truthKeys = truth.map((variant) => variant.key);
    const called = new Set(passing);
    const truePositives = truthKeys.filter((key) => called.has(key)).length;
    console.log(`population: ${passing.length} passing, ${truePositives} of ${truthKeys.length} true`);
    expect(truePositives / passing.length).toBeGreaterThanOrEqual(0.99);
    for (const fraction of TEST_MIXTURE_FRACTIONS) {
      const band = truth.filter((variant) => variant.frequency === fraction);
      const found = band.filter((variant) => called.has(variant.key)).length;
      expect(found / band.length, `recall at ${fraction}`).toBeGreaterThanOrEqual(0.98);
    }
    // Germline calling sees none of the 5 % alleles.
    const germline = new Set(normalisedRecords(file('calls.vcf'), mixture.referencePath));
    const fivePercent = truth.filter((variant) => variant.frequency === 0.05);
    expect(fivePercent.filter((variant) => germline.has(variant.key)).length).toBe(0);

    const format = execFileSync('bcftools', ['query', '-f', '[%ADF;%ADR;%AF]\\t%INFO/SB\\n', file('pop.vcf')], {
      encoding: 'utf8',
    });
    expect(format.split('\n')[0]).toMatch(/^\d+,\d+;\d+,\d+;[\d.]+\t([\d.]+|\.)$/);
  });
});
