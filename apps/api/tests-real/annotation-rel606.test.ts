import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, readGenbankSequences } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csqConsequences, type GeneVariant, report, tally } from '../tests/annotate/csq.js';
import { type GenbankCds, readCdsFeatures } from '../tests/annotate/genbank-features.js';
import { requireBcftools, requireSnpEff } from '../tests/annotate/peer-tools.js';
import { codingBases, expectedSnvEffect } from '../tests/annotate/retranslate.js';
import { proteinDifferences, snpEff, snpEffKey } from '../tests/annotate/snpeff.js';
import { rel606GenbankPath } from './support/annotation.js';

describe('the E. coli REL606 fragment', () => {
  let genbankPath: string;
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

  /** Our effect on the variant's own gene. */
  const ours = ({ gene, position, ref, alt }: GeneVariant) =>
    annotation
      .annotate(contigName, position, ref, alt)
      .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-rel606-'));
    genbankPath = rel606GenbankPath();
    const [sequence] = readGenbankSequences(genbankPath);
    contigName = sequence?.name ?? '';
    bases = sequence?.sequence.toString('latin1') ?? '';
    // yagX runs past the end of the fragment: its CDS is cut and is left out of the comparison.
    cds = readCdsFeatures(await readFile(genbankPath, 'utf8')).filter(
      (gene) =>
        !gene.pseudo && gene.segments.every(([start, end]) => (end - start + 1) % 3 === 0 && end < bases.length),
    );
    annotation = await Annotation.load(genbankPath, [{ name: contigName, sequence: Buffer.from(bases) }]);
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

  it('should agree with bcftools csq on at least 99 % of SNVs', () => {
    requireBcftools();
    const all = snvs();
    const agreement = tally(all, ours, csqConsequences(directory, contigName, bases, cds, all));
    console.log(report('REL606 SNVs', agreement));
    expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
    // csq starts proteins at ATG only (yafD starts at GTG); table 11 also starts at CTG, GTG, TTG, ATT, ATC, ATA.
    for (const difference of agreement.differences) {
      expect(difference).toMatch(/: ours (SYNONYMOUS M1M|START_LOST M1\?), theirs /);
    }
  }, 120_000);

  it('should agree with snpEff on every consequence and HGVS.p of its SNVs but a GTG start’s name', () => {
    requireSnpEff();
    const all = snvs();
    const theirs = snpEff(join(directory, 'snpeff'), genbankPath, { name: contigName, length: bases.length }, all);
    const agreement = tally(all, ours, theirs.consequences, snpEffKey);
    console.log(report('REL606 SNVs', agreement, 'snpEff'));
    expect(agreement.agree / agreement.total).toBeGreaterThanOrEqual(0.99);
    // A GTG or TTG start is read as Met (the initiator tRNA's); snpEff names the codon's own residue.
    for (const difference of proteinDifferences(all, ours, theirs.proteinChanges)) {
      expect(difference).toMatch(/: p\.Met1\? vs p\.(Val|Leu|Ile)1\?$/);
    }
  }, 120_000); // snpEff (a JVM) reads 111,141 SNVs.
});
