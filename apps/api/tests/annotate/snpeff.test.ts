import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotation, readGenbankSequences } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeneVariant, report, tally } from './csq.js';
import { readCdsFeatures } from './genbank-features.js';
import { toGenbank } from './genome-files.js';
import { codingBases } from './retranslate.js';
import { hasSnpEff, snpEff } from './snpeff.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

/** Real data beside the repository, read in place and never copied into it. */
const REL606 = fileURLToPath(
  new URL('../../../../../shared/data/real/annotation/REL606-fragment.gbk', import.meta.url),
);

/** snpEff is looked up by the gene's locus tag (its Gene_ID). */
const snpEffKey = (variant: GeneVariant) =>
  `${variant.position} ${variant.ref} ${variant.alt} ${variant.gene.locusTag}`;

/** Variants whose HGVS.p differs from snpEff's. */
function proteinDifferences(
  variants: readonly GeneVariant[],
  ours: (variant: GeneVariant) => { hgvsP?: string | null } | undefined,
  theirs: Map<string, string>,
): string[] {
  return variants
    .map((variant) => ({ variant, mine: ours(variant)?.hgvsP ?? '', their: theirs.get(snpEffKey(variant)) ?? '' }))
    .filter(({ mine, their }) => mine !== their)
    .map(
      ({ variant, mine, their }) =>
        `${variant.gene.name} ${variant.position}${variant.ref}>${variant.alt}: ${mine} vs ${their}`,
    );
}

describe.skipIf(!hasSnpEff)('agreement with snpEff', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-snpeff-'));
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

  it.skipIf(!existsSync(REL606))(
    'should agree on every consequence and HGVS.p of the REL606 fragment’s SNVs but a GTG start’s name',
    async () => {
      const [sequence] = readGenbankSequences(REL606);
      const name = sequence?.name ?? '';
      const bases = sequence?.sequence.toString('latin1') ?? '';
      const annotation = await Annotation.load(REL606, [{ name, sequence: Buffer.from(bases) }]);
      const { readFile } = await import('node:fs/promises');
      const cds = readCdsFeatures(await readFile(REL606, 'utf8')).filter(
        (gene) =>
          !gene.pseudo && gene.segments.every(([start, end]) => (end - start + 1) % 3 === 0 && end < bases.length),
      );
      const snvs = cds.flatMap((gene) =>
        codingBases(bases, gene).positions.flatMap((position) => {
          const ref = bases[position - 1] ?? 'N';
          return ['A', 'C', 'G', 'T'].filter((alt) => alt !== ref).map((alt) => ({ gene, position, ref, alt }));
        }),
      );
      const ours = ({ gene, position, ref, alt }: GeneVariant) =>
        annotation
          .annotate(name, position, ref, alt)
          .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');
      const theirs = snpEff(join(directory, 'rel606'), REL606, { name, length: bases.length }, snvs);
      const agreement = tally(snvs, ours, theirs.consequences, snpEffKey);
      console.log(report('REL606 SNVs', agreement, 'snpEff'));
      expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
      // A GTG or TTG start is read as Met (the initiator tRNA's); snpEff names the codon's own residue.
      for (const difference of proteinDifferences(snvs, ours, theirs.proteinChanges)) {
        expect(difference).toMatch(/: p\.Met1\? vs p\.(Val|Leu|Ile)1\?$/);
      }
    },
    // snpEff (a JVM) reads 111,141 SNVs.
    120_000,
  );
});
