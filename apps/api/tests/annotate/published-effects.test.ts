import type { Annotation } from '@helix/native';
import { beforeAll, describe, expect, it } from 'vitest';
import { PublishedEffects } from '../../src/annotate/published-effects.js';
import { annotateCalls } from '../../src/annotate/run-annotation.js';
import { SiteAnnotator } from '../../src/annotate/site-annotator.js';
import { VariantPublisher } from '../../src/pipeline/variant-publisher.js';
import { everyCodingSnv, testGenomeAnnotation, testGenomeCall } from './test-genome.js';

describe('the effects a stored run published', () => {
  let annotation: Annotation;

  beforeAll(async () => {
    annotation = await testGenomeAnnotation();
  });

  it('should give each call the effects and ANN value that annotating it again would', async () => {
    const calls = everyCodingSnv()
      .filter((_, index) => index % 7 === 0)
      .map((snv) => testGenomeCall(snv.position, snv.alt, 'CONFIRMED'));
    const published = new PublishedEffects();
    const publisher = new VariantPublisher(
      'run-1',
      { addVariants: () => {}, confirmed: published.observer.mutationDetected },
      new SiteAnnotator(annotation, () => {}),
    );
    publisher.publish(calls, 'sample');
    await new Promise((resolve) => setImmediate(resolve));
    expect(published.annotate(calls, annotation)).toEqual(annotateCalls(annotation, calls));
  });

  it('should annotate the calls no alarm announced, as annotating them would', () => {
    const calls = everyCodingSnv()
      .filter((_, index) => index % 11 === 0)
      .map((snv) => testGenomeCall(snv.position, snv.alt, 'CANDIDATE'));
    expect(new PublishedEffects().annotate(calls, annotation)).toEqual(annotateCalls(annotation, calls));
  });
});
