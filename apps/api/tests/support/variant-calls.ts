import type { VariantCall } from '@helix/native';

/**
 * A caller's call of the heterozygous SNV `A>G` on `chr1` at `position`: 20 reads, half of them
 * alternate, quality and mapping quality 60, no strand counts or filters, with `overrides` applied
 * (its allele frequency follows the depth and alternate count given).
 */
export function variantCall(
  position: number,
  status: VariantCall['status'],
  overrides: Partial<VariantCall> = {},
): VariantCall {
  const depth = overrides.depth ?? 20;
  const altCount = overrides.altCount ?? depth / 2;
  return {
    contig: 'chr1',
    position,
    ref: 'A',
    alt: 'G',
    type: 'SNV',
    genotype: '0/1',
    depth,
    altCount,
    alleleFrequency: altCount / depth,
    quality: 60,
    status,
    mappingQuality: 60,
    zeroMappingQualityFraction: 0,
    forwardRefCount: 0,
    reverseRefCount: 0,
    forwardAltCount: 0,
    reverseAltCount: 0,
    strandBias: null,
    readEndFraction: 0,
    filters: [],
    ...overrides,
  };
}
