import type { SampleRow } from '../read-model/samples.js';
import { builder } from './builder.js';

/** One sequenced sample of a run, with its mapping figures. */
export const Sample = builder.objectRef<SampleRow>('Sample').implement({
  description: 'One sample of a run: its reads, how many mapped, and how deep and wide they cover the reference.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "The sample's name, as its VCF column." }),
    readsAnalysed: t.field({ type: 'SafeInt', resolve: (sample) => sample.readsAnalysed }),
    mappedReads: t.field({
      type: 'SafeInt',
      description: 'Analysed reads that mapped to the reference.',
      resolve: (sample) => sample.mappedReads,
    }),
    properlyPairedReads: t.field({
      type: 'SafeInt',
      description:
        'Analysed reads placed in proper pairs: both mates mapped, facing each other (0 for single-end reads).',
      resolve: (sample) => sample.properlyPairedReads,
    }),
    meanDepth: t.exposeFloat('meanDepth', { description: 'Mean depth over the whole reference.' }),
    breadth10x: t.exposeFloat('breadth10x', {
      description: 'Fraction of reference positions (0–1) covered by at least ten reads.',
    }),
    variantsConfirmed: t.exposeInt('variantsConfirmed'),
  }),
});
