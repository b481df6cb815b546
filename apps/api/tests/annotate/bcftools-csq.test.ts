import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csqConsequences, type GeneVariant, report, tally } from './csq.js';
import { toEnsemblGff3 } from './genome-files.js';
import { requireBcftools } from './peer-tools.js';
import { codingBases } from './retranslate.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

/** Deletions of 1 and 3 bases and insertions of 1 and 3 after every 7th coding base (not the first codon). */
function codingIndels(): GeneVariant[] {
  return GENES.flatMap((gene) =>
    codingBases(BASES, gene)
      .positions.slice(3, -3)
      .filter((_, i) => i % 7 === 0)
      .flatMap((position) => {
        const anchor = BASES[position - 1] ?? 'N';
        return [
          { gene, position, ref: BASES.slice(position - 1, position + 1), alt: anchor },
          { gene, position, ref: BASES.slice(position - 1, position + 3), alt: anchor },
          { gene, position, ref: anchor, alt: `${anchor}A` },
          { gene, position, ref: anchor, alt: `${anchor}GCA` },
        ];
      }),
  );
}

describe('agreement with bcftools csq', () => {
  let directory: string;
  let annotation: Annotation;
  const ours = ({ gene, position, ref, alt }: GeneVariant) =>
    annotation
      .annotate(CONTIG, position, ref, alt)
      .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-csq-'));
    requireBcftools();
    const gff = join(directory, 'ensembl.gff3');
    await writeFile(gff, toEnsemblGff3(CONTIG, GENES));
    annotation = await Annotation.load(gff, [{ name: CONTIG, sequence: Buffer.from(BASES) }], { geneticCode: 11 });
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should agree on at least 99 % of SNV consequences, differing only on alternative start codons', () => {
    const snvs = everyCodingSnv();
    const agreement = tally(snvs, ours, csqConsequences(directory, CONTIG, BASES, GENES, snvs));
    console.log(report('SNVs', agreement));
    expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
    // csq starts proteins at ATG only; table 11 also starts at CTG, GTG, TTG, ATT, ATC, ATA.
    for (const difference of agreement.differences)
      expect(difference).toMatch(/: ours SYNONYMOUS M1M, theirs START_LOST$/);
  });

  it('should agree on at least 99 % of indel consequences', () => {
    const indels = codingIndels();
    const agreement = tally(indels, ours, csqConsequences(directory, CONTIG, BASES, GENES, indels));
    console.log(report('indels', agreement));
    expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
    // A deletion of the whole start codon is start_lost (snpEff's word), csq keeps it in-frame;
    // csq also names splice sites of the joined CDS, which the consequences here do not cover.
    for (const difference of agreement.differences) {
      expect(difference).toMatch(
        /: ours (START_LOST M1\?, theirs INFRAME_DELETION|none undefined, theirs splice_\w+)$/,
      );
    }
  });
});
