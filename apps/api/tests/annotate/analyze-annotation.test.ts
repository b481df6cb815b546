import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reference, simulateToFiles, type VariantEffect } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annField } from '../../src/annotate/ann-field.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { RunReferenceContext } from '../../src/interpret/reference-context.js';
import { createScratchDatabase } from '../support/database.js';
import { runHelix } from '../support/process.js';
import { toGenbank, toGff3 } from './genome-files.js';
import { requireBcftools } from './peer-tools.js';
import type { TestGene } from './retranslate.js';

/** Genes over the simulated reference (its bases are random, so CDS carry stops: only warnings). */
const GENES: TestGene[] = [
  { name: 'geneA', locusTag: 'R_0001', strand: '+', segments: [[1_001, 4_000]] },
  { name: 'geneB', locusTag: 'R_0002', strand: '-', segments: [[5_001, 8_000]] },
  {
    name: 'geneC',
    locusTag: 'R_0003',
    strand: '+',
    segments: [
      [9_001, 10_500],
      [10_601, 12_100],
    ],
  },
];

/** `INFO/ANN` entries of every record of a VCF. */
function annEntries(vcf: string): string[][] {
  return vcf
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => /(?:^|;)ANN=([^;\t]+)/.exec(line.split('\t')[7] ?? '')?.[1]?.split(',') ?? []);
}

describe('helix analyze --annotation', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);
  /** `helix analyze` of the simulated reads against `reference`, into `vcf`, with extra flags and `env`. */
  const analyzeWith = (env: Record<string, string>, reference: string, vcf: string, ...flags: string[]) =>
    runHelix(
      [
        'analyze',
        '--reference',
        file(reference),
        ...flags,
        '--reads',
        file('reads_1.fq.gz'),
        file('reads_2.fq.gz'),
        '--vcf',
        file(vcf),
      ],
      env,
    );
  const analyze = (reference: string, vcf: string, ...flags: string[]) => analyzeWith({}, reference, vcf, ...flags);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-analyze-annotation-'));
    await simulateToFiles({
      referenceLength: 20_000,
      referenceOut: file('ref.fa'),
      reads: 2_000,
      out: file('reads_1.fq.gz'),
      out2: file('reads_2.fq.gz'),
      truth: file('truth.vcf'),
      mutationRate: 0.002,
      indelFraction: 0.15,
      errorRate: 0.002,
      seed: 15,
    });
    const reference = await Reference.loadFasta(file('ref.fa'));
    const [contig] = reference.contigs;
    const bases = reference.sequence(0).toString('latin1');
    await writeFile(file('genes.gff3'), toGff3(contig?.name ?? 'random', bases, GENES));
    await writeFile(file('ref.gbk'), toGenbank(contig?.name ?? 'random', bases, GENES));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should add one ANN entry of 16 fields per effect to every call', async () => {
    const helix = analyze('ref.fa', 'gff.vcf', '--annotation', file('genes.gff3'));
    expect(await helix.exited, helix.output()).toBe(0);
    const vcf = await readFile(file('gff.vcf'), 'utf8');
    expect(vcf).toContain(
      '##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: \'Allele | Annotation |',
    );
    const entries = annEntries(vcf);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries.flat()) expect(entry.split('|')).toHaveLength(16);
    const consequences = new Set(entries.flat().map((entry) => entry.split('|')[1]));
    expect(consequences.has('intergenic_variant')).toBe(true);
    expect([...consequences].some((term) => /missense_variant|synonymous_variant|stop_gained/.test(term ?? ''))).toBe(
      true,
    );
    requireBcftools();
    expect(spawnSync('bcftools', ['view', '-H', file('gff.vcf')]).status).toBe(0);
  });

  it('should take sequence and genes from one GenBank reference', async () => {
    // The simulated sample is diploid; the bacterial GenBank entry alone would make the run haploid.
    const helix = analyze('ref.gbk', 'gbk.vcf', '--ploidy', '2');
    expect(await helix.exited, helix.output()).toBe(0);
    const fromGenbank = annEntries(await readFile(file('gbk.vcf'), 'utf8'));
    const fromGff = annEntries(await readFile(file('gff.vcf'), 'utf8'));
    expect(fromGenbank.length).toBe(fromGff.length);
    const consequences = (records: string[][]) => records.map((record) => record.map((e) => e.split('|')[1]).join(','));
    expect(consequences(fromGenbank)).toEqual(consequences(fromGff));
  });

  it('should store a --db run with the GenBank file as its reference, and rebuild the reference from it', async () => {
    const database = await createScratchDatabase();
    const pool = new pg.Pool(poolConfigFromUrl(database.url));
    try {
      const helix = analyzeWith({ DATABASE_URL: database.url }, 'ref.gbk', 'db.vcf', '--db');
      expect(await helix.exited, helix.output()).toBe(0);
      const runId = /run (\S+) stored/.exec(helix.output())?.[1] ?? '';
      const { rows } = await pool.query<{ config: { referencePath?: string } }>(
        'SELECT config FROM runs WHERE id = $1',
        [runId],
      );
      expect(rows[0]?.config.referencePath).toBe(file('ref.gbk'));
      const reference = await Reference.loadFasta(file('ref.fa'));
      const [contig] = reference.contigs;
      const window = await new RunReferenceContext({ pool }).window(runId, contig?.name ?? '', 5_000, 10);
      expect(window).toEqual({
        contig: contig?.name,
        start: 4_990,
        sequence: reference.sequence(0).toString('latin1', 4_989, 5_010),
      });
    } finally {
      await pool.end();
      await database.drop();
    }
  });

  it('should store a --db run with the effects its VCF carries as INFO/ANN', async () => {
    const database = await createScratchDatabase();
    const pool = new pg.Pool(poolConfigFromUrl(database.url));
    try {
      const helix = analyzeWith(
        { DATABASE_URL: database.url },
        'ref.fa',
        'db-gff.vcf',
        '--annotation',
        file('genes.gff3'),
        '--db',
      );
      expect(await helix.exited, helix.output()).toBe(0);
      const runId = /run (\S+) stored/.exec(helix.output())?.[1] ?? '';
      const { rows } = await pool.query<{ alt: string; effects: VariantEffect[] }>(
        `SELECT alt, effects FROM variants WHERE run_id = $1 AND status = 'CONFIRMED' ORDER BY position, ref, alt`,
        [runId],
      );
      const written = annEntries(await readFile(file('db-gff.vcf'), 'utf8'));
      expect(rows.length).toBe(written.length);
      expect(rows.map((row) => annField(row.alt, row.effects)?.split(','))).toEqual(written);
    } finally {
      await pool.end();
      await database.drop();
    }
  });

  it('should exit 1 naming the line when the annotation names a contig the reference lacks', async () => {
    await writeFile(file('wrong.gff3'), '##gff-version 3\nchrZ\tRefSeq\tgene\t1\t90\t.\t+\t.\tID=g1\n');
    const helix = analyze('ref.fa', 'x.vcf', '--annotation', file('wrong.gff3'));
    expect(await helix.exited).toBe(1);
    expect(helix.output()).toMatch(/wrong\.gff3: line 2: contig chrZ is not in the reference/);
  });

  it('should exit 1 for a genetic code NCBI does not define', async () => {
    const helix = analyze('ref.fa', 'x.vcf', '--annotation', file('genes.gff3'), '--genetic-code', '7');
    expect(await helix.exited).toBe(1);
    expect(helix.output()).toMatch(/geneticCode: 7 is not an NCBI table/);
  });
});
