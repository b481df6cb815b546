import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretByRules } from '../../src/interpret/rules.js';
import { type AnnotatedGenome, annotatedCall, annotatedGenome } from './support/annotated-genome.js';

const RUN = '00000000-0000-0000-0000-000000000000';

let genome: AnnotatedGenome;

beforeAll(async () => {
  genome = await annotatedGenome();
});

afterAll(async () => {
  await genome.remove();
});

/** The rules' summary of a call on the annotated genome. */
const summaryAt = (site: Parameters<typeof annotatedCall>[2], call: Parameters<typeof annotatedCall>[3] = {}) =>
  interpretByRules(annotatedCall(genome, RUN, site, call)).summary;

describe('rules for variants in genes', () => {
  it('should name the consequence, gene, product and protein change of a missense variant', () => {
    expect(summaryAt({ position: 104, alt: 'G' })).toBe(
      'Missense variant in geneA (geneA protein): p.Arg2Gly (R2G); ' +
        'heterozygous C>G transversion at testchr:104, AF 0.50 over 60 reads, high quality (Q60).',
    );
  });

  it('should call a stop gained a likely loss of function', () => {
    expect(summaryAt({ position: 104, alt: 'T' })).toMatch(
      /^Stop gained in geneA \(geneA protein\): p\.Arg2\* \(R2\*\), likely loss of function; heterozygous C>T transition/,
    );
  });

  it('should call a frameshift a likely loss of function and leave its frame to the effect', () => {
    expect(summaryAt({ position: 105, deleted: 1 })).toBe(
      'Frameshift in geneA (geneA protein): p.Arg3fs (R3fs), likely loss of function; ' +
        'heterozygous 1 bp deletion of A at testchr:105, AF 0.50 over 60 reads, high quality (Q60).',
    );
  });

  it('should call a synonymous variant probably silent', () => {
    expect(summaryAt({ position: 1002, alt: 'C' })).toMatch(
      /^Synonymous variant in geneC \(geneC protein\): p\.Leu44Leu \(L44L\), probably silent; heterozygous A>C/,
    );
  });

  it('should name both genes either side of an intergenic variant and how far each is', () => {
    const ref = genome.bases(450);
    const alt = ref === 'A' ? 'G' : 'A';
    expect(summaryAt({ position: 450, alt })).toMatch(
      /^Intergenic variant between geneA \(50 bp away\) and geneB \(151 bp away\); heterozygous /,
    );
  });

  it('should still name the neighbours of an intergenic effect stored before they were listed one by one', () => {
    const call = annotatedCall(genome, RUN, { position: 450, alt: genome.bases(450) === 'A' ? 'G' : 'A' });
    const effects = call.effects.map(({ neighbours: _neighbours, ...effect }) => effect);
    expect(interpretByRules({ ...call, effects }).summary).toMatch(
      /^Intergenic variant near geneA-geneB \(nearest 50 bp away\); heterozygous /,
    );
  });

  it('should list the effect on each of two overlapping genes', () => {
    expect(summaryAt({ position: 875, alt: 'C' })).toMatch(
      /^Missense variant in geneB \(geneB protein\): p\.Val9Gly \(V9G\) and missense variant in geneC \(geneC protein\): p\.His2Pro \(H2P\); /,
    );
  });

  it('should name the gene a variant lies upstream of, beside the gene it is in', () => {
    expect(summaryAt({ position: 771, alt: 'A' })).toMatch(
      /^Missense variant in geneB \(geneB protein\): p\.Arg44Cys \(R44C\) and upstream gene variant, 100 bp before geneC \(geneC protein\); /,
    );
  });
});

describe('zygosity beside the effects', () => {
  it('should keep the zygosity of a germline call', () => {
    expect(summaryAt({ position: 104, alt: 'G' }, { alleleFrequency: 0.97 })).toContain(
      '(R2G); homozygous C>G transversion at testchr:104, AF 0.97 over 60 reads',
    );
  });

  it('should call a clearly subclonal call a minority variant at its allele frequency instead', () => {
    const summary = summaryAt({ position: 104, alt: 'G' }, { alleleFrequency: 0.12, depth: 200 });
    expect(summary).toBe(
      'Missense variant in geneA (geneA protein): p.Arg2Gly (R2G); ' +
        'C>G transversion at testchr:104, minority variant at 12 % over 200 reads, high quality (Q60).',
    );
    expect(summary).not.toMatch(/subclonal|heterozygous/i);
  });

  it("should keep today's text for a call without annotation", () => {
    const call = { ...annotatedCall(genome, RUN, { position: 104, alt: 'G' }, { alleleFrequency: 0.12 }), effects: [] };
    expect(interpretByRules(call).summary).toBe(
      'Subclonal C>G transversion at testchr:104, AF 0.12 over 60 reads, high quality (Q60).',
    );
  });
});
