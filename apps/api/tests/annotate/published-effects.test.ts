import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, type VariantCall } from '@helix/native';
import { beforeAll, describe, expect, it } from 'vitest';
import { PublishedEffects } from '../../src/annotate/published-effects.js';
import { annotateCalls } from '../../src/annotate/run-annotation.js';
import { SiteAnnotator } from '../../src/annotate/site-annotator.js';
import { VariantPublisher } from '../../src/pipeline/variant-publisher.js';
import { toGff3 } from './genome-files.js';
import { BASES, CONTIG, everyCodingSnv, GENES } from './test-genome.js';

/** A confirmed call of an SNV of the test genome. */
function confirmed(position: number, alt: string): VariantCall {
  return {
    contig: CONTIG,
    position,
    ref: BASES[position - 1] ?? 'N',
    alt,
    type: 'SNV',
    genotype: '1/1',
    depth: 20,
    altCount: 20,
    alleleFrequency: 1,
    quality: 60,
    status: 'CONFIRMED',
    mappingQuality: 60,
    zeroMappingQualityFraction: 0,
    forwardRefCount: 0,
    reverseRefCount: 0,
    forwardAltCount: 0,
    reverseAltCount: 0,
    strandBias: null,
    readEndFraction: 0,
    filters: [],
  };
}

describe('the effects a stored run published', () => {
  let annotation: Annotation;

  beforeAll(async () => {
    const directory = await mkdtemp(join(tmpdir(), 'helix-published-'));
    try {
      await writeFile(join(directory, 'genes.gff3'), toGff3(CONTIG, BASES, GENES));
      annotation = await Annotation.load(join(directory, 'genes.gff3'), [
        { name: CONTIG, sequence: Buffer.from(BASES) },
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('should give each call the effects and ANN value that annotating it again would', async () => {
    const calls = everyCodingSnv()
      .filter((_, index) => index % 7 === 0)
      .map((snv) => confirmed(snv.position, snv.alt));
    const published = new PublishedEffects();
    const publisher = new VariantPublisher(
      'run-1',
      { addVariants: () => {}, confirmed: published.observer.mutationDetected },
      new SiteAnnotator(annotation, () => {}),
    );
    publisher.publish(calls, 'sample');
    await new Promise((resolve) => setImmediate(resolve));
    expect(published.annotate(calls)).toEqual(annotateCalls(annotation, calls));
  });

  it('should refuse a call that no alarm announced rather than write it without effects', () => {
    expect(() => new PublishedEffects().annotate([confirmed(100, 'A')])).toThrow(/confirmed without an alarm/);
  });
});
