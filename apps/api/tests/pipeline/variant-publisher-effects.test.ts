import type { Annotation } from '@helix/native';
import { beforeAll, describe, expect, it } from 'vitest';
import { bySeverity } from '../../src/annotate/ann-field.js';
import { SiteAnnotator } from '../../src/annotate/site-annotator.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { VariantPublisher } from '../../src/pipeline/variant-publisher.js';
import { BASES, CONTIG, everyCodingSnv, testGenomeAnnotation, testGenomeCall } from '../annotate/test-genome.js';

describe('variant publisher with an annotation', () => {
  let annotation: Annotation;
  const otherBase = (position: number) => (BASES[position - 1] === 'A' ? 'G' : 'A');

  beforeAll(async () => {
    annotation = await testGenomeAnnotation();
  });

  function publisherWith(annotator: SiteAnnotator) {
    const stored: VariantRecord[] = [];
    const announced: VariantRecord[] = [];
    const publisher = new VariantPublisher(
      'run-1',
      { addVariants: (records) => stored.push(...records), confirmed: (record) => announced.push(record) },
      annotator,
    );
    return { publisher, stored, announced };
  }

  it("should give a confirmed call the annotator's effects, most severe first, and announce it with them", () => {
    const { publisher, stored, announced } = publisherWith(new SiteAnnotator(annotation, () => {}));
    const position = 150;
    const alt = otherBase(position);
    publisher.publish([testGenomeCall(position, alt, 'CONFIRMED')], 'sample');
    const expected = bySeverity(annotation.annotate(CONTIG, position, BASES[position - 1] ?? 'N', alt));
    expect(expected.length).toBeGreaterThan(0);
    expect(stored[0]?.effects).toEqual(expected);
    expect(announced[0]?.effects).toEqual(expected);
  });

  it('should leave a call that was never confirmed without effects, unannotated', () => {
    const annotator = new SiteAnnotator(annotation, () => {});
    const { publisher, stored } = publisherWith(annotator);
    publisher.publish([testGenomeCall(150, otherBase(150), 'CANDIDATE')], 'sample');
    expect(stored[0]?.effects).toEqual([]);
    expect(annotator.cost.sites).toBe(0);
  });

  it('should annotate a site once, keeping its effects while it falls back to candidate and is confirmed again', () => {
    const annotator = new SiteAnnotator(annotation, () => {});
    const { publisher, stored, announced } = publisherWith(annotator);
    const alt = otherBase(700);
    publisher.publish([testGenomeCall(700, alt, 'CONFIRMED')], 'sample');
    publisher.publish([testGenomeCall(700, alt, 'CANDIDATE')], 'sample');
    publisher.publish([testGenomeCall(700, alt, 'CONFIRMED')], 'sample');
    expect(annotator.cost.sites).toBe(1);
    expect(stored.map((record) => record.effects)).toEqual([
      stored[0]?.effects,
      stored[0]?.effects,
      stored[0]?.effects,
    ]);
    expect(stored[0]?.effects.length).toBeGreaterThan(0);
    expect(announced).toHaveLength(2);
    expect(announced[1]?.effects).toEqual(stored[0]?.effects);
  });

  it('should store a call the annotator refuses without effects, and say so', () => {
    const warnings: string[] = [];
    const { publisher, stored } = publisherWith(new SiteAnnotator(annotation, (message) => warnings.push(message)));
    const wrongRef = { ...testGenomeCall(150, 'A', 'CONFIRMED'), ref: 'CCC', alt: 'C', type: 'DELETION' as const };
    publisher.publish([wrongRef], 'sample');
    expect(stored[0]?.effects).toEqual([]);
    expect(warnings).toEqual(['a call could not be annotated']);
  });

  it('should annotate a confirmed site in well under a millisecond (off the hot path: once per site)', () => {
    const annotator = new SiteAnnotator(annotation, () => {});
    const { publisher } = publisherWith(annotator);
    // Overlapping genes share sites: each distinct site is one call.
    const sites = [...new Map(everyCodingSnv().map((snv) => [`${snv.position}${snv.alt}`, snv])).values()];
    publisher.publish(
      sites.map(({ position, alt }) => testGenomeCall(position, alt, 'CONFIRMED')),
      'sample',
    );
    const { sites: annotated, microsPerSite } = annotator.cost;
    console.info(`annotation cost: ${microsPerSite.toFixed(2)} µs per confirmed site over ${annotated} sites`);
    expect(annotated).toBe(sites.length);
    expect(microsPerSite).toBeLessThan(1_000);
  });
});
