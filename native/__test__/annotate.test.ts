import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Annotation, readGenbankSequences } from '../index.js';
import { scratchDir } from './helpers.js';

const dir = scratchDir('annotate');

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// ATG GAC CAG AAA TAA at 3..17.
const BASES = 'CCATGGACCAGAAATAACC';

const GENBANK = `LOCUS       tiny                      19 bp    DNA     circular BCT 01-JAN-2026
FEATURES             Location/Qualifiers
     CDS             3..17
                     /locus_tag="T_1"
                     /gene="abc"
                     /product="a protein"
                     /translation="MDQK"
ORIGIN
        1 ccatggacca gaaataacc
//
`;

describe('annotation', () => {
  it('should read a GenBank file as reference sequence and as genes', async () => {
    const path = write('tiny.gbk', GENBANK);
    const [sequence] = readGenbankSequences(path);
    expect(sequence?.name).toBe('tiny');
    expect(sequence?.circular).toBe(true);
    expect(sequence?.microbial, 'its division is BCT').toBe(true);
    expect(sequence?.sequence.toString()).toBe(BASES);
    const annotation = await Annotation.load(path, [{ name: 'tiny', sequence: Buffer.from(BASES) }]);
    expect(annotation.featureCount).toBe(1);
    expect(annotation.warnings).toEqual([]);
    const [effect] = annotation.annotate('tiny', 7, 'A', 'G');
    expect(effect).toMatchObject({
      consequence: 'MISSENSE',
      soTerm: 'missense_variant',
      impact: 'MODERATE',
      gene: 'abc',
      locusTag: 'T_1',
      product: 'a protein',
      codonChange: 'gAc/gGc',
      aminoAcidChange: 'D2G',
      hgvsC: 'c.5A>G',
      hgvsP: 'p.Asp2Gly',
    });
  });

  it('should read GFF3 on the calling thread too, and name a bad genetic code', () => {
    const path = write('tiny.gff3', '##gff-version 3\ntiny\tt\tCDS\t3\t17\t.\t+\t0\tID=cds-1;locus_tag=T_1\n');
    const annotation = Annotation.loadSync(path, [{ name: 'tiny', sequence: Buffer.from(BASES) }], { geneticCode: 11 });
    expect(annotation.annotate('tiny', 9, 'C', 'T')[0]?.aminoAcidChange).toBe('Q3*');
    expect(() =>
      Annotation.loadSync(path, [{ name: 'tiny', sequence: Buffer.from(BASES) }], { geneticCode: 7 }),
    ).toThrow(/geneticCode: 7 is not an NCBI table/);
  });

  it('should refuse a reference allele the reference does not have', () => {
    const path = write('tiny2.gff3', '##gff-version 3\ntiny\tt\tCDS\t3\t17\t.\t+\t0\tID=cds-1;locus_tag=T_1\n');
    const annotation = Annotation.loadSync(path, [{ name: 'tiny', sequence: Buffer.from(BASES) }]);
    expect(() => annotation.annotate('tiny', 7, 'C', 'G')).toThrow(/C at tiny:7 does not match the reference/);
  });
});
