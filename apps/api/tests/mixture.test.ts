import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFasta } from '../bench/real/fasta.js';
import { buildTestMixture, TEST_MIXTURE_FRACTIONS, type TestMixture } from './support/mixture.js';

/** How many reads of a FASTQ file came from each haplotype, by the prefix the mixture gave their names. */
async function readsPerHaplotype(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path) })) {
    if (line % 4 === 0) {
      const haplotype = /^@([^:]+):/.exec(text)?.[1] ?? 'unnamed';
      counts.set(haplotype, (counts.get(haplotype) ?? 0) + 1);
    }
    line += 1;
  }
  return counts;
}

describe('the test mixture', () => {
  let mixture: TestMixture;

  beforeAll(async () => {
    mixture = await buildTestMixture();
  });

  afterAll(async () => {
    if (mixture) await rm(mixture.directory, { recursive: true, force: true });
  });

  it('should plant SNVs and indels on each minor haplotype at its fraction', () => {
    const minors = mixture.haplotypes.filter((haplotype) => haplotype.name !== 'major');
    expect(minors.map((haplotype) => haplotype.fraction)).toEqual([...TEST_MIXTURE_FRACTIONS]);
    for (const minor of minors) {
      expect(minor.variants.length).toBeGreaterThan(40);
      expect(minor.variants.some((variant) => variant.class === 'INDEL')).toBe(true);
      expect(new Set(minor.variants.map((variant) => variant.frequency))).toEqual(new Set([minor.fraction]));
    }
  });

  it('should carry each planted variant in its haplotype FASTA at the stated position', async () => {
    const reference = mixture.reference.sequence;
    for (const haplotype of mixture.haplotypes) {
      const [written] = await readFasta(haplotype.fastaPath);
      const sequence = written?.sequence ?? '';
      let shift = 0;
      for (const variant of haplotype.variants) {
        const at = variant.position - 1;
        expect(reference.slice(at, at + variant.ref.length)).toBe(variant.ref);
        expect(sequence.slice(at + shift, at + shift + variant.alt.length)).toBe(variant.alt);
        const after = at + variant.ref.length;
        expect(sequence.slice(at + shift + variant.alt.length, at + shift + variant.alt.length + 30)).toBe(
          reference.slice(after, after + 30),
        );
        shift += variant.alt.length - variant.ref.length;
      }
      expect(sequence.length).toBe(reference.length + shift);
    }
  });

  it('should draw each haplotype’s share of the reads within binomial noise of its fraction', async () => {
    const counts = await readsPerHaplotype(mixture.reads[0]);
    expect(await readsPerHaplotype(mixture.reads[1])).toEqual(counts);
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(mixture.pairs);
    for (const haplotype of mixture.haplotypes) {
      const expected = total * haplotype.fraction;
      const sigma = Math.sqrt(total * haplotype.fraction * (1 - haplotype.fraction));
      expect(Math.abs((counts.get(haplotype.name) ?? 0) - expected)).toBeLessThanOrEqual(4 * sigma);
    }
  });

  it('should write a truth VCF that bcftools reads, listing every planted variant with its AF', () => {
    const records = execFileSync('bcftools', ['query', '-f', '%POS %REF %ALT %INFO/AF\\n', mixture.truthVcfPath], {
      encoding: 'utf8',
    });
    const planted = [...mixture.truth]
      .sort((a, b) => a.position - b.position)
      .map((variant) => `${variant.position} ${variant.ref} ${variant.alt} ${variant.frequency}`);
    expect(records.trim().split('\n')).toEqual(planted);
  });
});
