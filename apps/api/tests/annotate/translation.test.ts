import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, type AnnotationContig, type VariantEffect } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANN_FIELDS, annField } from '../../src/annotate/ann-field.js';
import { vcfHeader, vcfRecord } from '../../src/vcf/writer.js';
import { toFasta, toGenbank, toGff3 } from './genome-files.js';
import { requireBcftools } from './peer-tools.js';
import { expectedSnvEffect } from './retranslate.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

const contig = BASES;
const sequences: AnnotationContig[] = [{ name: CONTIG, sequence: Buffer.from(contig) }];

/** Every SNV on every CDS base, each checked against the re-translation. */
function compareEverySnv(annotation: Annotation): { checked: number; disagreements: string[] } {
  const disagreements: string[] = [];
  const snvs = everyCodingSnv();
  for (const { gene, position, ref, alt } of snvs) {
    const expected = expectedSnvEffect(contig, gene, position, alt);
    const got = annotation
      .annotate(CONTIG, position, ref, alt)
      .filter((effect) => effect.locusTag === gene.locusTag && effect.consequence !== 'UPSTREAM')
      .map((effect) => `${effect.consequence} ${effect.aminoAcidChange}`)
      .join('; ');
    if (got !== `${expected.consequence} ${expected.aminoAcidChange}`) {
      disagreements.push(`${gene.name} ${position}${ref}>${alt}: expected ${JSON.stringify(expected)}, got ${got}`);
    }
  }
  return { checked: snvs.length, disagreements };
}

describe('annotation of SNVs against a re-translation', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-annotate-'));
    await writeFile(file('genes.gff3'), toGff3(CONTIG, contig, GENES));
    await writeFile(file('genome.gbk'), toGenbank(CONTIG, contig, GENES));
    await writeFile(file('genome.fa'), toFasta(CONTIG, contig));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should agree on every SNV consequence and amino-acid change read from GFF3', async () => {
    const annotation = await Annotation.load(file('genes.gff3'), sequences);
    expect(annotation.featureCount).toBe(GENES.length);
    const { checked, disagreements } = compareEverySnv(annotation);
    console.log(`GFF3: ${checked - disagreements.length}/${checked} SNVs agree with the re-translation`);
    expect(checked).toBe(1_500 * 3);
    expect(disagreements).toEqual([]);
  });

  it('should agree on every SNV consequence and amino-acid change read from GenBank', async () => {
    const annotation = await Annotation.load(file('genome.gbk'), sequences);
    expect(annotation.featureCount).toBe(GENES.length);
    const { checked, disagreements } = compareEverySnv(annotation);
    console.log(`GenBank: ${checked - disagreements.length}/${checked} SNVs agree with the re-translation`);
    expect(disagreements).toEqual([]);
  });

  it('should name the codon, HGVS and protein change of a missense SNV', async () => {
    const annotation = await Annotation.load(file('genes.gff3'), sequences);
    // The first base of geneD's second segment is c.151, the first base of codon 51.
    const ref = contig[1460] ?? 'N';
    const alt = ref === 'A' ? 'C' : 'A';
    const [effect] = annotation.annotate(CONTIG, 1461, ref, alt);
    expect(effect?.gene).toBe('geneD');
    expect(effect?.hgvsC).toBe(`c.151${ref}>${alt}`);
    expect(effect?.codonChange?.slice(0, 1)).toBe(ref);
    expect(effect?.rank).toEqual({ position: 2, length: 2 });
    expect(effect?.cds).toEqual({ position: 151, length: 300 });
    expect(effect?.protein?.position).toBe(51);
  });

  it('should call upstream, intergenic and frameshift variants as snpEff names them', async () => {
    const annotation = await Annotation.load(file('genes.gff3'), sequences);
    const upstream = annotation.annotate(CONTIG, 60, contig[59] ?? 'N', contig[59] === 'A' ? 'C' : 'A');
    expect(upstream.map((e) => [e.consequence, e.gene, e.distance])).toEqual([['UPSTREAM', 'geneA', 41]]);
    const between = annotation.annotate(CONTIG, 2_400, contig[2_399] ?? 'N', contig[2_399] === 'A' ? 'C' : 'A');
    expect(between.map((e) => [e.consequence, e.soTerm, e.impact])).toEqual([
      ['INTERGENIC', 'intergenic_variant', 'MODIFIER'],
    ]);
    const anchor = contig[199] ?? 'N';
    const [frameshift] = annotation.annotate(CONTIG, 200, anchor, `${anchor}T`);
    expect(frameshift?.consequence).toBe('FRAMESHIFT');
    expect(frameshift?.impact).toBe('HIGH');
    expect(frameshift?.hgvsP).toMatch(/^p\.[A-Z][a-z]{2}\d+fs$/);
  });

  it('should reject an annotation whose contig is not in the reference, naming the line', async () => {
    await writeFile(file('other.gff3'), '##gff-version 3\nchrZ\tRefSeq\tgene\t1\t90\t.\t+\t.\tID=g1\n');
    await expect(Annotation.load(file('other.gff3'), sequences)).rejects.toThrow(
      /other\.gff3: line 2: contig chrZ is not in the reference/,
    );
  });

  it('should warn about a CDS whose length is not a multiple of 3, naming it', async () => {
    await writeFile(
      file('odd.gff3'),
      `##gff-version 3\n${CONTIG}\tRefSeq\tCDS\t101\t399\t.\t+\t0\tID=cds-X;locus_tag=X_1;transl_table=11\n`,
    );
    const annotation = await Annotation.load(file('odd.gff3'), sequences);
    expect(annotation.warnings[0]).toMatch(/odd\.gff3: line 2: CDS X_1: length 299 is not a multiple of 3/);
  });

  it('should write an ANN field that bcftools accepts and readers split into 16 fields', async () => {
    requireBcftools();
    const annotation = await Annotation.load(file('genes.gff3'), sequences);
    const records: string[] = [];
    for (let position = 50; position <= 2_450; position += 37) {
      const ref = contig[position - 1] ?? 'N';
      const alt = ref === 'G' ? 'T' : 'G';
      const effects: VariantEffect[] = annotation.annotate(CONTIG, position, ref, alt);
      const ann = annField(alt, effects);
      records.push(
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
          ...(ann !== undefined && { annotation: ann }),
        }),
      );
    }
    const vcf = vcfHeader({ contigs: [{ name: CONTIG, length: contig.length }], annotated: true }) + records.join('');
    await writeFile(file('annotated.vcf'), vcf);
    const view = spawnSync('bcftools', ['view', '-H', file('annotated.vcf')], { encoding: 'utf8' });
    expect(view.stderr).toBe('');
    expect(view.status).toBe(0);
    expect(view.stdout.trim().split('\n')).toHaveLength(records.length);
    const query = spawnSync('bcftools', ['query', '-f', '%POS\t%INFO/ANN\n', file('annotated.vcf')], {
      encoding: 'utf8',
    });
    const lines = query.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    // Only a variant between the segments of a joined CDS has no effect (no intron term is fixed).
    const unannotated = lines.filter(([, ann]) => ann === '.').map(([position]) => Number(position));
    const inGaps = (position: number) => (position > 1450 && position < 1461) || (position > 1950 && position < 2001);
    expect(unannotated.every(inGaps)).toBe(true);
    const entries = lines.flatMap(([, ann]) => (ann === '.' ? [] : (ann ?? '').split(',')));
    expect(entries.length).toBeGreaterThanOrEqual(records.length - unannotated.length);
    for (const entry of entries) expect(entry.split('|')).toHaveLength(ANN_FIELDS.length);
    expect(ANN_FIELDS).toHaveLength(16);
  });
});
