import type { VariantRecord } from '../../src/pipeline/records.js';

/** What a call record carries beyond its counts, for `altCount` of `depth` reads split evenly over the strands; it passes every filter and has no history yet. */
export function evenStrands(
  depth: number,
  altCount: number,
): Pick<
  VariantRecord,
  | 'forwardAltCount'
  | 'reverseAltCount'
  | 'forwardRefCount'
  | 'reverseRefCount'
  | 'strandBias'
  | 'filters'
  | 'alleleFrequencyHistory'
> {
  const refCount = depth - altCount;
  return {
    forwardAltCount: Math.ceil(altCount / 2),
    reverseAltCount: Math.floor(altCount / 2),
    forwardRefCount: Math.ceil(refCount / 2),
    reverseRefCount: Math.floor(refCount / 2),
    strandBias: 0,
    filters: [],
    alleleFrequencyHistory: [],
  };
}
