import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeneVariant, report, tally } from './csq.js';
import { toGenbank } from './genome-files.js';
import { requireSnpEff } from './peer-tools.js';
import { codingBases } from './retranslate.js';
import { proteinDifferences, snpEff, snpEffKey } from './snpeff.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

describe('agreement with snpEff', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-snpeff-'));
    requireSnpEff();
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should agree on SNV and indel consequences and on every HGVS.p of the test genome', async () => {
    const genbank = join(directory, 'genome.gbk');
    await writeFile(genbank, toGenbank(CONTIG, BASES, GENES));
    const annotation = await Annotation.load(genbank, [{ name: CONTIG, sequence: Buffer.from(BASES) }]);
    const indels = GENES.flatMap((gene) =>
      codingBases(BASES, gene)
        .positions.slice(3, -3)
        .filter((_, i) => i % 7 === 0)
        .flatMap((position) => {
          const anchor = BASES[position - 1] ?? 'N';
          return [
            { gene, position, ref: BASES.slice(position - 1, position + 1), alt: anchor },
            { gene, position, ref: anchor, alt: `${anchor}GCA` },
          ];
        }),
    );
    const variants = [...everyCodingSnv(), ...indels];
    const ours = ({ gene, position, ref, alt }: GeneVariant) =>
      annotation
        .annotate(CONTIG, position, ref, alt)
        .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');
    const theirs = snpEff(join(directory, 'test'), genbank, { name: CONTIG, length: BASES.length }, variants);
    const agreement = tally(variants, ours, theirs.consequences, snpEffKey);
    console.log(report('test genome', agreement, 'snpEff'));
    expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
    // snpEff names splice sites of the joined CDS, which the consequences here do not cover.
    for (const difference of agreement.differences) expect(difference).toMatch(/: ours none undefined, theirs splice_/);
    expect(proteinDifferences(everyCodingSnv(), ours, theirs.proteinChanges)).toEqual([]);
  });
});
