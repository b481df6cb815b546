import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotation, readGenbankSequences } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csqConsequences, type GeneVariant, report, tally } from './csq.js';
import { type GenbankCds, readCdsFeatures } from './genbank-features.js';
import { codingBases, expectedSnvEffect } from './retranslate.js';

/** Real data beside the repository, read in place and never copied into it. */
const REL606 = fileURLToPath(
  new URL('../../../../../shared/data/real/annotation/REL606-fragment.gbk', import.meta.url),
);
const hasBcftools = spawnSync('bcftools', ['--version']).status === 0;

describe.skipIf(!existsSync(REL606))('the E. coli REL606 fragment', () => {
  let directory: string;
  let contigName: string;
  let bases: string;
  let cds: GenbankCds[];
  let annotation: Annotation;

  /** Every SNV on every base of every whole, translated CDS. */
  const snvs = () =>
    cds.flatMap((gene) =>
      codingBases(bases, gene).positions.flatMap((position) => {
        const ref = bases[position - 1] ?? 'N';
        return ['A', 'C', 'G', 'T'].filter((alt) => alt !== ref).map((alt) => ({ gene, position, ref, alt }));
      }),
    );

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-rel606-'));
    const [sequence] = readGenbankSequences(REL606);
    contigName = sequence?.name ?? '';
    bases = sequence?.sequence.toString('latin1') ?? '';
    // yagX runs past the end of the fragment: its CDS is cut and is left out of the comparison.
    cds = readCdsFeatures(await readFile(REL606, 'utf8')).filter(
      (gene) =>
        !gene.pseudo && gene.segments.every(([start, end]) => (end - start + 1) % 3 === 0 && end < bases.length),
    );
    annotation = await Annotation.load(REL606, [{ name: contigName, sequence: Buffer.from(bases) }]);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should agree with the re-translation on every SNV of every CDS', () => {
    expect(cds.length).toBe(48);
    const all = snvs();
    const started = performance.now();
    for (const { position, ref, alt } of all) annotation.annotate(contigName, position, ref, alt);
    const microseconds = ((performance.now() - started) * 1_000) / all.length;
    const disagreements = all.filter(({ gene, position, ref, alt }) => {
      const expected = expectedSnvEffect(bases, gene, position, alt);
      const got = annotation
        .annotate(contigName, position, ref, alt)
        .filter((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM')
        .map((effect) => `${effect.consequence} ${effect.aminoAcidChange}`);
      return got.join('; ') !== `${expected.consequence} ${expected.aminoAcidChange}`;
    });
    console.log(
      `REL606: ${all.length - disagreements.length}/${all.length} SNVs agree with the re-translation ` +
        `(annotation ${microseconds.toFixed(1)} µs per SNV)`,
    );
    expect(disagreements).toEqual([]);
  }, 120_000);

  it.skipIf(!hasBcftools)(
    'should agree with bcftools csq on at least 99 % of SNVs',
    () => {
      const all = snvs();
      const ours = ({ gene, position, ref, alt }: GeneVariant) =>
        annotation
          .annotate(contigName, position, ref, alt)
          .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');
      const agreement = tally(all, ours, csqConsequences(directory, contigName, bases, cds, all));
      console.log(report('REL606 SNVs', agreement));
      expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
      // csq starts proteins at ATG only (yafD starts at GTG); table 11 also starts at CTG, GTG, TTG, ATT, ATC, ATA.
      for (const difference of agreement.differences) {
        expect(difference).toMatch(/: ours (SYNONYMOUS M1M|START_LOST M1\?), theirs /);
      }
    },
    120_000,
  );
});
