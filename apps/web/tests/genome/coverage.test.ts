import { describe, expect, it } from 'vitest';
import {
  coverageAreaPath,
  coverageRequest,
  coversWindow,
  deepestIn,
  MAX_BINS,
  meanDepthIn,
} from '@/lib/genome/coverage';
import { genomeScale } from '@/lib/genome/scale';

describe('coverage windows', () => {
  it('should ask for about a bin per pixel over the view and half a view either side', () => {
    const request = coverageRequest({ from: 10_001, to: 20_000 }, 50_000, 1000);
    const binSize = (request.to - request.from + 1) / request.bins;
    expect(binSize).toBe(8);
    expect(request.from).toBeLessThanOrEqual(5001);
    expect(request.to).toBeGreaterThanOrEqual(25_000);
    expect(request.bins).toBeLessThanOrEqual(MAX_BINS);
  });

  it('should ask the same question for views a few bases apart', () => {
    const a = coverageRequest({ from: 10_001, to: 20_000 }, 50_000, 1000);
    const b = coverageRequest({ from: 10_009, to: 20_008 }, 50_000, 1000);
    expect(b).toEqual(a);
  });

  it('should ask for single bases when zoomed in, cut to the contig', () => {
    const request = coverageRequest({ from: 1, to: 100 }, 4000, 1000);
    expect(request).toEqual({ from: 1, to: 160, bins: 160 });
    expect(coverageRequest({ from: 3951, to: 4000 }, 4000, 800).to).toBe(4000);
  });

  it('should never ask for more bins than the API gives', () => {
    expect(coverageRequest({ from: 1, to: 4_641_652 }, 4_641_652, 20_000).bins).toBeLessThanOrEqual(MAX_BINS);
  });
});

describe('coverage area', () => {
  const bins = { from: 1, to: 40, binSize: 10, depths: [0, 20, 40, 10], maxDepths: [0, 25, 50, 12] };

  it('should step over each bin from the baseline and close back to it', () => {
    const path = coverageAreaPath(bins, genomeScale({ from: 1, to: 40 }, 400), 40, 100);
    expect(path).toBe(
      'M0.0,100L0.0,100.0L100.0,100.0L100.0,50.0L200.0,50.0L200.0,0.0L300.0,0.0L300.0,75.0L400.0,75.0L400.0,100Z',
    );
  });

  it('should leave out bins outside the view and clip the ones at its edges', () => {
    const path = coverageAreaPath(bins, genomeScale({ from: 15, to: 24 }, 100), 40, 100);
    expect(path).toBe('M0.0,100L0.0,50.0L60.0,50.0L60.0,0.0L100.0,0.0L100.0,100Z');
  });

  it('should find the deepest bin in view and know when the bins hold the view', () => {
    expect(deepestIn(bins, { from: 1, to: 20 })).toBe(20);
    expect(deepestIn(bins, { from: 1, to: 40 })).toBe(40);
    expect(coversWindow(bins, { from: 5, to: 40 })).toBe(true);
    expect(coversWindow(bins, { from: 5, to: 41 })).toBe(false);
    expect(coversWindow(undefined, { from: 5, to: 10 })).toBe(false);
  });
});

describe('mean depth in view', () => {
  it('should weigh each bin by the bases it shares with the view', () => {
    const bins = { from: 1, to: 40, binSize: 10, depths: [0, 20, 40, 10], maxDepths: [0, 25, 50, 12] };
    expect(meanDepthIn(bins, { from: 1, to: 40 })).toBe(17.5);
    expect(meanDepthIn(bins, { from: 16, to: 25 })).toBe(30);
    expect(meanDepthIn(bins, { from: 41, to: 50 })).toBe(0);
  });
});
