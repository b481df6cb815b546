import { describe, expect, it } from 'vitest';
import { BASES_SPAN, baseCells, basesRequest, showsBases } from '@/lib/genome/bases';
import { genomeScale } from '@/lib/genome/scale';

describe('reference bases', () => {
  it('should show bases only at or below the span that fits them', () => {
    expect(showsBases({ from: 1, to: BASES_SPAN })).toBe(true);
    expect(showsBases({ from: 1, to: BASES_SPAN + 1 })).toBe(false);
  });

  it('should fetch a gridded stretch that holds the view, cut to the contig', () => {
    expect(basesRequest({ from: 250, to: 380 }, 4000)).toEqual({ from: 201, to: 600 });
    expect(basesRequest({ from: 3900, to: 3999 }, 4000)).toEqual({ from: 3801, to: 4000 });
    expect(basesRequest({ from: 1, to: 1000 }, 4000)).toBeUndefined();
  });

  it('should give a cell per base in view, upper-cased', () => {
    const cells = baseCells('acgtacgtac', 101, genomeScale({ from: 103, to: 106 }, 40));
    expect(cells.map((cell) => `${cell.position}${cell.base}@${cell.x}`)).toEqual([
      '103G@0',
      '104T@10',
      '105A@20',
      '106C@30',
    ]);
  });
});
