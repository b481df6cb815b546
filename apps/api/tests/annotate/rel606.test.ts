import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotation, readGenbankSequences } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vcfHeader, vcfRecord } from '../../src/vcf/writer.js';
import { type GenbankCds, readCdsFeatures } from './genbank-features.js';
import { toEnsemblGff3, toFasta } from './genome-files.js';
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
  const file = (name: string) => join(directory, name);

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
  });

  it.skipIf(!hasBcftools)('should agree with bcftools csq on at least 99 % of SNVs', async () => {
    await writeFile(file('rel606.fa'), toFasta(contigName, bases));
    await writeFile(file('rel606.gff3'), toEnsemblGff3(contigName, cds));
    const all = snvs();
    const records = all.map(({ position, ref, alt }) =>
      vcfRecord({
        contig: contigName,
        position,
        ref,
        alt,
        type: 'SNV',
        depth: 30,
        altCount: 30,
        alleleFrequency: 1,
        quality: 60,
        genotype: '1/1',
      }),
    );
    const header = vcfHeader({ contigs: [{ name: contigName, length: bases.length }] });
    // csq wants records in position order.
    const sorted = records
      .map((record, i) => ({ record, position: all[i]?.position ?? 0 }))
      .sort((a, b) => a.position - b.position);
    await writeFile(file('snvs.vcf'), header + sorted.map((r) => r.record).join(''));
    const csq = spawnSync(
      'bcftools',
      [
        'csq',
        '--local-csq',
        '--phase',
        'a',
        '-f',
        file('rel606.fa'),
        '-g',
        file('rel606.gff3'),
        '-O',
        'v',
        '-o',
        file('csq.vcf'),
        file('snvs.vcf'),
      ],
      { encoding: 'utf8' },
    );
    expect(csq.status, csq.stderr).toBe(0);
    const query = spawnSync('bcftools', ['query', '-f', '%POS\t%ALT\t%INFO/BCSQ\n', file('csq.vcf')], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const words: Record<string, string> = {
      synonymous: 'SYNONYMOUS',
      stop_retained: 'SYNONYMOUS',
      missense: 'MISSENSE',
      stop_gained: 'STOP_GAINED',
      stop_lost: 'STOP_LOST',
      start_lost: 'START_LOST',
    };
    const theirs = new Map<string, string>();
    for (const line of query.stdout.trim().split('\n')) {
      const [position, alt, bcsq] = line.split('\t');
      for (const entry of (bcsq ?? '').split(',')) {
        const [consequence, , transcript] = entry.split('|');
        if (consequence && transcript)
          theirs.set(`${position} ${alt} ${transcript}`, words[consequence.split('&')[0] ?? ''] ?? consequence);
      }
    }
    const perClass = new Map<string, { agree: number; total: number }>();
    const differences: string[] = [];
    for (const { gene, position, ref, alt } of all) {
      const ours = annotation
        .annotate(contigName, position, ref, alt)
        .find((e) => e.locusTag === gene.locusTag && e.consequence !== 'UPSTREAM');
      const their = theirs.get(`${position} ${alt} ${gene.locusTag}.1`) ?? 'none';
      const tally = perClass.get(ours?.consequence ?? 'none') ?? { agree: 0, total: 0 };
      tally.total++;
      if (ours?.consequence === their) tally.agree++;
      else
        differences.push(
          `${gene.name} ${position}${ref}>${alt}: ours ${ours?.consequence} ${ours?.aminoAcidChange}, csq ${their}`,
        );
      perClass.set(ours?.consequence ?? 'none', tally);
    }
    const agree = all.length - differences.length;
    console.log(
      `REL606 vs bcftools csq: ${agree}/${all.length} (${((100 * agree) / all.length).toFixed(2)} %)\n` +
        [...perClass]
          .map(([name, t]) => `  ${name}: ${t.agree}/${t.total} (${((100 * t.agree) / t.total).toFixed(2)} %)`)
          .join('\n') +
        `\n${differences.slice(0, 30).join('\n')}`,
    );
    expect(agree / all.length).toBeGreaterThanOrEqual(0.99);
    // csq starts proteins at ATG only (yafD starts at GTG); table 11 also starts at CTG, GTG, TTG, ATT, ATC, ATA.
    for (const difference of differences) expect(difference).toMatch(/: ours (SYNONYMOUS M1M|START_LOST M1\?), csq /);
  });
});
