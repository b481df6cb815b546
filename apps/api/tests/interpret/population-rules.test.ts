import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { populationShare } from '../../src/interpret/population.js';
import { type InterpretableVariant, interpretByRules } from '../../src/interpret/rules.js';
import type { ReferenceWindow } from '../../src/interpret/sequence-context.js';
import { type AnnotatedGenome, annotatedCall, annotatedGenome } from './support/annotated-genome.js';

const RUN = '00000000-0000-0000-0000-000000000000';

/** A population call (no genotype) of A>G at chr1:11: 21 of 480 reads, 12 forward and 9 reverse. */
const populationCall = (overrides: Partial<InterpretableVariant> = {}): InterpretableVariant => ({
  runId: RUN,
  contig: 'chr1',
  position: 11,
  ref: 'A',
  alt: 'G',
  type: 'SNV',
  genotype: null,
  depth: 480,
  altCount: 21,
  alleleFrequency: 21 / 480,
  quality: 60,
  effects: [],
  forwardRefCount: 240,
  reverseRefCount: 219,
  forwardAltCount: 12,
  reverseAltCount: 9,
  strandBias: 0.4,
  filters: [],
  ...overrides,
});

const window: ReferenceWindow = { contig: 'chr1', start: 1, sequence: 'TTGACGTCAAAGTTAGCATG' };

describe('the rules on a population call', () => {
  it('should speak of a 4 % call as a subclonal minority variant, with its depth and reads per strand', () => {
    const interpretation = interpretByRules(populationCall(), window);
    expect(interpretation.summary).toBe(
      'Subclonal minority variant at 4.4 %: A>G transition at chr1:11, ' +
        'of 480 reads (12 forward / 9 reverse reads), high quality (Q60); passing every filter.',
    );
  });

  it('should never give a population call a zygosity', () => {
    for (const alleleFrequency of [0.04, 0.35, 0.6, 0.97]) {
      const interpretation = interpretByRules(populationCall({ alleleFrequency }), window);
      expect(interpretation.zygosity).toBeNull();
      expect(interpretation.summary).not.toMatch(/homozygous|heterozygous|haploid/i);
    }
  });

  it('should speak of a call above 90 % as a fixed variant, and of one above half as a majority', () => {
    expect(interpretByRules(populationCall({ alleleFrequency: 0.97 }), window).summary).toMatch(
      /^Fixed variant at 97 %: A>G transition/,
    );
    expect(interpretByRules(populationCall({ alleleFrequency: 0.62 }), window).summary).toMatch(
      /^Majority variant at 62 %: /,
    );
    expect([0.04, 0.49, 0.5, 0.89, 0.9].map(populationShare)).toEqual([
      'minority',
      'minority',
      'majority',
      'majority',
      'fixed',
    ]);
  });

  it('should name a failed filter with its reason', () => {
    const call = populationCall({ forwardAltCount: 21, reverseAltCount: 0, strandBias: 38, filters: ['StrandBias'] });
    expect(interpretByRules(call, window).summary).toBe(
      'Subclonal minority variant at 4.4 %: A>G transition at chr1:11, of 480 reads (21 forward / 0 reverse reads), ' +
        'high quality (Q60); flagged StrandBias: the alternate reads are nearly all on one strand.',
    );
  });

  it('should name every failed filter, each with its reason', () => {
    const call = populationCall({
      depth: 4,
      altCount: 1,
      alleleFrequency: 0.25,
      quality: 8,
      filters: ['LowQual', 'LowDepth'],
    });
    expect(interpretByRules(call, window).summary).toMatch(
      /; flagged LowQual: its quality is below the run’s minimum; LowDepth: too few reads cover the site\.$/,
    );
  });

  it('should keep what it found in its facts: share, reads per strand on each allele, strand bias, filters', () => {
    expect(interpretByRules(populationCall({ filters: ['StrandBias'], strandBias: 21.5 }), window).population).toEqual({
      share: 'minority',
      alternateStrands: { forward: 12, reverse: 9 },
      referenceStrands: { forward: 240, reverse: 219 },
      strandBias: 21.5,
      filters: ['StrandBias'],
    });
  });

  it('should say nothing of strands or filters a stored call did not bring', () => {
    const {
      forwardRefCount: _fr,
      reverseRefCount: _rr,
      forwardAltCount: _fa,
      reverseAltCount: _ra,
      strandBias: _sb,
      filters: _f,
      ...bare
    } = populationCall();
    expect(interpretByRules(bare, window).summary).toBe(
      'Subclonal minority variant at 4.4 %: A>G transition at chr1:11, of 480 reads, high quality (Q60).',
    );
  });

  it('should still read a genotyped call by its zygosity, with no population facts', () => {
    const interpretation = interpretByRules(populationCall({ genotype: '0/1', alleleFrequency: 0.5 }), window);
    expect(interpretation.zygosity).toBe('heterozygous');
    expect(interpretation.population).toBeNull();
  });
});

describe('the rules on a population call in a gene', () => {
  let genome: AnnotatedGenome;

  beforeAll(async () => {
    genome = await annotatedGenome();
  });

  afterAll(async () => {
    await genome.remove();
  });

  it('should lead with the effect and then speak of the minority variant and its strands', () => {
    const call = {
      ...annotatedCall(genome, RUN, { position: 104, alt: 'G' }, { alleleFrequency: 0.05, depth: 400 }),
      genotype: null,
      forwardRefCount: 190,
      reverseRefCount: 190,
      forwardAltCount: 11,
      reverseAltCount: 9,
      strandBias: 0.2,
      filters: [],
    };
    expect(interpretByRules(call).summary).toBe(
      'Missense variant in geneA (geneA protein): p.Arg2Gly (R2G); C>G transversion at testchr:104, ' +
        'subclonal minority variant at 5.0 % of 400 reads (11 forward / 9 reverse reads), high quality (Q60); ' +
        'passing every filter.',
    );
  });
});
