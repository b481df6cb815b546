import { describe, expect, it } from 'vitest';
import {
  SYMBOLIC_DELETION_MIN_LENGTH,
  type VcfVariant,
  vcfHeader,
  vcfRecord,
  vcfSiteRecord,
} from '../src/vcf/writer.js';

function deletion(length: number, annotation?: string): VcfVariant {
  return {
    contig: 'plasmid',
    position: 7_000,
    ref: `A${'C'.repeat(length)}`,
    alt: 'A',
    type: 'DELETION',
    depth: 40,
    altCount: 38,
    alleleFrequency: 0.95,
    quality: 99,
    genotype: '1/1',
    ...(annotation !== undefined && { annotation }),
  };
}

const columns = (line: string) => line.trimEnd().split('\t');

describe('VCF records of deletions', () => {
  it('should write a deletion shorter than the symbolic threshold with explicit alleles', () => {
    const [, position, , ref, alt, , , info] = columns(vcfRecord(deletion(SYMBOLIC_DELETION_MIN_LENGTH - 1)));
    expect([position, ref?.length, alt]).toEqual(['7000', SYMBOLIC_DELETION_MIN_LENGTH, 'A']);
    expect(info).not.toContain('SVTYPE');
  });

  it('should write a long deletion as <DEL> with its anchor base, SVLEN and END', () => {
    const [, position, , ref, alt, , , info] = columns(vcfRecord(deletion(7_344)));
    expect([position, ref, alt]).toEqual(['7000', 'A', '<DEL>']);
    expect(info).toContain(';SVTYPE=DEL;SVLEN=-7344;END=14344');
  });

  it("should name the written ALT in each ANN entry's Allele", () => {
    const entry = (...fields: string[]) => [...fields, ...Array(16 - fields.length).fill('')].join('|');
    const ann = [
      entry('A', 'intergenic_variant', 'MODIFIER', 'a-b', 'a-b', 'intergenic_region', 'a-b'),
      entry('A', 'upstream_gene_variant', 'MODIFIER', 'b', 'B_1', 'transcript', 'B_1', 'protein_coding'),
    ].join(',');
    const [, , , , , , , info = ''] = columns(vcfRecord(deletion(2_000, ann)));
    const entries = /ANN=([^;]+)/.exec(info)?.[1]?.split(',') ?? [];
    expect(entries.map((entry) => entry.split('|')[0])).toEqual(['<DEL>', '<DEL>']);
    expect(entries.every((entry) => entry.split('|').length === 16)).toBe(true);
  });

  it('should declare the symbolic allele and its INFO fields in the header', () => {
    const header = vcfHeader({ contigs: [{ name: 'plasmid', length: 8_000 }] });
    for (const id of ['ALT=<ID=DEL', 'INFO=<ID=SVTYPE', 'INFO=<ID=SVLEN', 'INFO=<ID=END']) {
      expect(header).toContain(`##${id}`);
    }
  });
});

describe('VCF genotypes', () => {
  const haploid: VcfVariant = { ...deletion(3), genotype: '1' };

  it("should write a haploid call's GT as the single allele 1", () => {
    expect(columns(vcfRecord(haploid))[9]).toBe('1:40:2,38');
  });

  it('should write a haploid missing genotype beside haploid calls, a diploid one beside diploid calls', () => {
    expect(columns(vcfSiteRecord([haploid, undefined])).slice(9)).toEqual(['1:40:2,38', '.:.:.']);
    expect(columns(vcfSiteRecord([undefined, deletion(3)])).slice(9)).toEqual(['./.:.:.', '1/1:40:2,38']);
  });
});

/** A haploid SNV of 38 alternate reads, `nearEnd` of them observed near a read end. */
function snv(nearEnd: number): VcfVariant {
  return { ...deletion(1), ref: 'A', alt: 'G', type: 'SNV', genotype: '1', readEndFraction: nearEnd / 38 };
}

describe('the position-in-read fraction of VCF records (INFO/RPE)', () => {
  it('should be 1 for a call whose alternate reads all sit at read ends', () => {
    expect(columns(vcfRecord(snv(38)))[7]).toBe('DP=40;AF=0.95;TYPE=SNV;RPE=1');
  });

  it('should be left out of a record whose source did not keep it, not written as missing', () => {
    expect(columns(vcfRecord(deletion(3)))[7]).not.toContain('RPE');
    expect(columns(vcfSiteRecord([snv(38), deletion(3)]))[7]).not.toContain('RPE');
  });

  it("should pool a site's samples by their alternate reads", () => {
    expect(columns(vcfSiteRecord([snv(38), undefined, { ...snv(0), altCount: 114 }]))[7]).toContain(';RPE=0.25');
  });

  it('should be declared in the header as a Float', () => {
    expect(vcfHeader({ contigs: [] })).toContain(
      '##INFO=<ID=RPE,Number=1,Type=Float,Description="Fraction of the alternate reads observed within 10 bases of a read end',
    );
  });
});
