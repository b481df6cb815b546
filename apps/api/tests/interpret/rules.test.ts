import { describe, expect, it } from 'vitest';
import {
  type InterpretableVariant,
  indelBases,
  indelFacts,
  interpretByRules,
  qualityBand,
  substitutionClass,
  zygosity,
} from '../../src/interpret/rules.js';
import {
  homopolymerAround,
  indelRepeat,
  isCpG,
  minimalPeriod,
  type ReferenceWindow,
  tandemRepeatAround,
} from '../../src/interpret/sequence-context.js';

const variant = (overrides: Partial<InterpretableVariant>): InterpretableVariant => ({
  runId: '00000000-0000-0000-0000-000000000000',
  contig: 'chr1',
  position: 11,
  ref: 'A',
  alt: 'G',
  type: 'SNV',
  depth: 60,
  altCount: 30,
  alleleFrequency: 0.5,
  quality: 60,
  effects: [],
  ...overrides,
});

/** A window whose first base is position 1. */
const windowOf = (sequence: string): ReferenceWindow => ({ contig: 'chr1', start: 1, sequence });

describe('substitution class', () => {
  it('should call purine to purine and pyrimidine to pyrimidine changes transitions', () => {
    expect(substitutionClass('A', 'G')).toBe('transition');
    expect(substitutionClass('G', 'A')).toBe('transition');
    expect(substitutionClass('C', 'T')).toBe('transition');
    expect(substitutionClass('T', 'C')).toBe('transition');
  });

  it('should call purine to pyrimidine changes transversions', () => {
    for (const [ref, alt] of [
      ['A', 'C'],
      ['A', 'T'],
      ['G', 'C'],
      ['G', 'T'],
      ['C', 'A'],
      ['T', 'G'],
    ] as const) {
      expect(substitutionClass(ref, alt)).toBe('transversion');
    }
  });

  it('should not classify what is not a single-base change', () => {
    expect(substitutionClass('A', 'A')).toBeUndefined();
    expect(substitutionClass('AT', 'G')).toBeUndefined();
    expect(substitutionClass('N', 'A')).toBeUndefined();
  });

  it('should flag the C and the G of a CpG site', () => {
    expect(isCpG('ACGT', 1)).toBe(true);
    expect(isCpG('ACGT', 2)).toBe(true);
    expect(isCpG('ACAT', 1)).toBe(false);
    expect(isCpG('AGCT', 1)).toBe(false);
  });
});

describe('indels', () => {
  it('should take the indel bases after the VCF anchor base', () => {
    expect(indelBases('A', 'ATT')).toBe('TT');
    expect(indelBases('ACGT', 'A')).toBe('CGT');
    expect(indelBases('AA', 'AAA')).toBe('A');
  });

  it('should call lengths not divisible by three frameshifts', () => {
    expect(indelFacts('A', 'AT')).toMatchObject({ length: 1, frameshift: true });
    expect(indelFacts('A', 'ATT')).toMatchObject({ length: 2, frameshift: true });
    expect(indelFacts('ACGT', 'A')).toMatchObject({ length: 3, frameshift: false });
    expect(indelFacts('A', 'ACGTACG')).toMatchObject({ length: 6, frameshift: false });
    expect(indelFacts('ACGTAC', 'A')).toMatchObject({ length: 5, frameshift: true });
  });

  it('should say so in the summary', () => {
    const frameshift = interpretByRules(variant({ type: 'DELETION', ref: 'AC', alt: 'A' }));
    expect(frameshift.summary).toContain('1 bp deletion of C (frameshift if coding)');
    const inFrame = interpretByRules(variant({ type: 'INSERTION', ref: 'A', alt: 'ACCG' }));
    expect(inFrame.summary).toContain('3 bp insertion of CCG (in-frame if coding)');
    expect(inFrame.substitution).toBeNull();
  });
});

describe('repeat context', () => {
  it('should find the homopolymer a substitution sits in or next to', () => {
    //                  1234567890123456
    const sequence = 'ACGTAAAAAAGCTGCA';
    expect(homopolymerAround(sequence, 6)).toMatchObject({ kind: 'homopolymer', unit: 'A', length: 6 });
    // The G right after the run: the substitution touches a 6 bp A run.
    expect(homopolymerAround(sequence, 10)).toMatchObject({ unit: 'A', length: 6 });
    expect(homopolymerAround(sequence, 13)).toBeUndefined();
  });

  it('should find a short tandem repeat covering a site whatever its phase', () => {
    const sequence = 'GGCACACACACATTG';
    for (const index of [3, 4, 7, 10]) {
      expect(tandemRepeatAround(sequence, index)).toMatchObject({ kind: 'tandem-repeat', copies: 5, length: 10 });
    }
    expect(tandemRepeatAround('ACGTTGCA', 3)).toBeUndefined();
  });

  it('should reduce a unit to its minimal period', () => {
    expect(minimalPeriod('AAAA')).toBe(1);
    expect(minimalPeriod('CACA')).toBe(2);
    expect(minimalPeriod('CAG')).toBe(3);
    expect(minimalPeriod('ACGTAC')).toBe(6);
  });

  it('should count a deletion in a homopolymer, the deleted bases included', () => {
    // Anchor G at index 2, then TTTTT: deleting one T of five.
    expect(indelRepeat('ACGTTTTTCA', 2, 'T', 'deletion')).toMatchObject({ kind: 'homopolymer', unit: 'T', copies: 5 });
  });

  it('should count an insertion expanding a tandem repeat', () => {
    // Anchor G at index 1, then (CA)x3; inserting one more CA.
    expect(indelRepeat('AGCACACATT', 1, 'CA', 'insertion')).toMatchObject({
      kind: 'tandem-repeat',
      unit: 'CA',
      copies: 3,
    });
    expect(indelRepeat('AGCATTGTTT', 1, 'CA', 'insertion')).toBeUndefined();
  });

  it('should report the repeat in the interpretation and warn about indels in repeats below high quality', () => {
    const window = windowOf('ACGTAACGTTTTTTTCAGGA');
    const interpretation = interpretByRules(
      variant({ type: 'DELETION', position: 8, ref: 'GT', alt: 'G', quality: 35 }),
      window,
    );
    expect(interpretation.repeat).toMatchObject({ kind: 'homopolymer', unit: 'T', length: 7 });
    expect(interpretation.summary).toContain('in a 7 bp T homopolymer');
    expect(interpretation.summary).toContain('common sequencing artefact');
    expect(interpretation.referenceContext).toBe(true);
  });

  it('should interpret without repeat context when the reference is not at hand', () => {
    const interpretation = interpretByRules(variant({}));
    expect(interpretation.referenceContext).toBe(false);
    expect(interpretation.repeat).toBeNull();
    expect(interpretation.summary).toMatch(/^Heterozygous A>G transition at chr1:11, AF 0\.50 over 60 reads/);
  });
});

describe('zygosity and quality', () => {
  it('should band allele frequencies into homozygous, heterozygous and subclonal', () => {
    expect(zygosity(1)).toBe('homozygous');
    expect(zygosity(0.8)).toBe('homozygous');
    expect(zygosity(0.79)).toBe('heterozygous');
    expect(zygosity(0.5)).toBe('heterozygous');
    expect(zygosity(0.3)).toBe('heterozygous');
    expect(zygosity(0.29)).toBe('subclonal');
    expect(zygosity(0.05)).toBe('subclonal');
  });

  it('should call a haploid call haploid, whatever its allele frequency', () => {
    expect(zygosity(1, '1')).toBe('haploid');
    expect(zygosity(0.6, '1')).toBe('haploid');
    expect(zygosity(1, '1/1')).toBe('homozygous');
    expect(zygosity(0.5, '0/1')).toBe('heterozygous');
  });

  it('should band qualities into high, medium and low', () => {
    expect(qualityBand(99)).toBe('high');
    expect(qualityBand(50)).toBe('high');
    expect(qualityBand(49.9)).toBe('medium');
    expect(qualityBand(30)).toBe('medium');
    expect(qualityBand(29)).toBe('low');
  });
});

describe('interpretByRules', () => {
  it('should give one sentence with source "rules", deterministically', () => {
    const window = windowOf('TTGACGTCAACGTTAGCATG');
    const call = variant({ position: 5, ref: 'C', alt: 'T', alleleFrequency: 0.97, quality: 80 });
    const first = interpretByRules(call, window);
    expect(first).toEqual(interpretByRules(call, window));
    expect(first).toMatchObject({
      source: 'rules',
      type: 'SNV',
      substitution: { class: 'transition', cpg: true },
      zygosity: 'homozygous',
      qualityBand: 'high',
    });
    expect(first.summary).toBe(
      'Homozygous C>T transition at a CpG site at chr1:5, AF 0.97 over 60 reads, high quality (Q80).',
    );
    expect(first.summary.split('. ').length).toBe(1);
  });

  it('should speak of a haploid call as haploid, never homozygous or heterozygous', () => {
    const call = variant({ position: 5, ref: 'C', alt: 'T', alleleFrequency: 0.97, quality: 80, genotype: '1' });
    const interpretation = interpretByRules(call, windowOf('TTGACGTCAACGTTAGCATG'));
    expect(interpretation.zygosity).toBe('haploid');
    expect(interpretation.summary).toBe(
      'Haploid C>T transition at a CpG site at chr1:5, AF 0.97 over 60 reads, high quality (Q80).',
    );
    expect(interpretation.summary).not.toMatch(/homozygous|heterozygous/i);
  });
});
