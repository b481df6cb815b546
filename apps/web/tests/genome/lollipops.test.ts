import { describe, expect, it } from 'vitest';
import { layoutLollipops, lollipopColour, lollipopRadius, type TrackVariant } from '@/lib/genome/lollipops';
import { genomeScale } from '@/lib/genome/scale';

const variant = (position: number, alleleFrequency = 1, alt = 'G'): TrackVariant => ({
  id: `${position}${alt}`,
  position,
  ref: 'A',
  alt,
  alleleFrequency,
  depth: 100,
  quality: 60,
});

describe('lollipops', () => {
  it('should size heads by allele frequency, area growing with it', () => {
    expect(lollipopRadius(0)).toBe(3);
    expect(lollipopRadius(1)).toBe(8);
    expect(lollipopRadius(0.25)).toBeCloseTo(5.5);
    expect(lollipopRadius(2)).toBe(8);
  });

  it('should colour by the consequence family', () => {
    expect(
      (['STOP_GAINED', 'MISSENSE', 'INFRAME_DELETION', 'SYNONYMOUS', 'INTERGENIC', null] as const).map(lollipopColour),
    ).toEqual(['severe', 'missense', 'missense', 'synonymous', 'noncoding', 'unannotated']);
  });

  it('should put a stem in the middle of its base and skip calls outside the window', () => {
    const scale = genomeScale({ from: 1, to: 100 }, 1000);
    const placed = layoutLollipops([variant(50), variant(500)], scale, { baseline: 100, levelHeight: 20, levels: 3 });
    expect(placed).toHaveLength(1);
    expect(placed[0]?.x).toBe(495);
    expect(placed[0]?.headY).toBe(80);
  });

  it('should lift a head that would overlap its neighbour, up to the top level', () => {
    const scale = genomeScale({ from: 1, to: 10_000 }, 1000);
    const placed = layoutLollipops([variant(100), variant(110), variant(120), variant(130), variant(5000)], scale, {
      baseline: 100,
      levelHeight: 20,
      levels: 3,
    });
    expect(placed.map((lollipop) => lollipop.headY)).toEqual([80, 60, 40, 40, 80]);
  });
});
