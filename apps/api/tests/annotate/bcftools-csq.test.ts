import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vcfHeader, vcfRecord } from '../../src/vcf/writer.js';
import { toEnsemblGff3, toFasta } from './genome-files.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

const hasBcftools = spawnSync('bcftools', ['--version']).status === 0;

/** bcftools csq's consequence words, as the annotator's `Consequence` values. */
const CSQ_CONSEQUENCE: Record<string, string> = {
  synonymous: 'SYNONYMOUS',
  stop_retained: 'SYNONYMOUS',
  start_retained: 'SYNONYMOUS',
  missense: 'MISSENSE',
  stop_gained: 'STOP_GAINED',
  stop_lost: 'STOP_LOST',
  start_lost: 'START_LOST',
};

describe.skipIf(!hasBcftools)('agreement with bcftools csq', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-csq-'));
    await writeFile(file('genome.fa'), toFasta(CONTIG, BASES));
    await writeFile(file('genes.gff3'), toEnsemblGff3(CONTIG, GENES));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should agree on at least 99 % of SNV consequences, differing only on alternative start codons', async () => {
    const snvs = everyCodingSnv();
    const records = snvs.map(({ position, ref, alt }) =>
      vcfRecord({
        contig: CONTIG,
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
    await writeFile(
      file('snvs.vcf'),
      vcfHeader({ contigs: [{ name: CONTIG, length: BASES.length }] }) + records.join(''),
    );
    const csq = spawnSync(
      'bcftools',
      [
        'csq',
        '--local-csq',
        '--phase',
        'a',
        '-f',
        file('genome.fa'),
        '-g',
        file('genes.gff3'),
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
    });
    /** csq's consequence per `position alt transcript`. */
    const theirs = new Map<string, string>();
    for (const line of query.stdout.trim().split('\n')) {
      const [position, alt, bcsq] = line.split('\t');
      for (const entry of (bcsq ?? '').split(',')) {
        const [consequence, , transcript] = entry.split('|');
        if (!consequence || consequence === '.' || !transcript) continue;
        theirs.set(
          `${position} ${alt} ${transcript}`,
          CSQ_CONSEQUENCE[consequence.replace(/^\*/, '').split('&')[0] ?? ''] ?? consequence,
        );
      }
    }
    const annotation = await Annotation.load(file('genes.gff3'), [{ name: CONTIG, sequence: Buffer.from(BASES) }], {
      geneticCode: 11,
    });
    const perClass = new Map<string, { agree: number; total: number }>();
    const differences: string[] = [];
    for (const { gene, position, ref, alt } of snvs) {
      const ours = annotation
        .annotate(CONTIG, position, ref, alt)
        .find((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM');
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
    const agree = [...perClass.values()].reduce((sum, t) => sum + t.agree, 0);
    console.log(
      `bcftools csq: ${agree}/${snvs.length} SNVs agree (${((100 * agree) / snvs.length).toFixed(2)} %)\n` +
        [...perClass].map(([name, t]) => `  ${name}: ${t.agree}/${t.total}`).join('\n') +
        `\n${differences.slice(0, 40).join('\n')}`,
    );
    expect(agree / snvs.length).toBeGreaterThanOrEqual(0.99);
    // csq starts proteins at ATG only; table 11 also starts at CTG, GTG, TTG, ATT, ATC, ATA.
    for (const difference of differences) expect(difference).toMatch(/: ours SYNONYMOUS M1M, csq START_LOST$/);
  });
});
