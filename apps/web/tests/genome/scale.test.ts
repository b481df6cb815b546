import { describe, expect, it } from 'vitest';
import { formatPosition, genomeScale, positionTicks } from '@/lib/genome/scale';

describe('genome scale', () => {
  it('should give each base an equal share of the width and map pixels back to bases', () => {
    const scale = genomeScale({ from: 101, to: 200 }, 500);
    expect(scale.basePx).toBe(5);
    expect(scale.x(101)).toBe(0);
    expect(scale.x(201)).toBe(500);
    expect(scale.position(0)).toBe(101);
    expect(scale.position(12)).toBe(103);
    expect(scale.position(9999)).toBe(200);
  });

  it('should put ticks on round positions inside the window', () => {
    expect(positionTicks({ from: 1, to: 29_903 }, 6)).toEqual([5000, 10_000, 15_000, 20_000, 25_000]);
    expect(positionTicks({ from: 1234, to: 1260 }, 6)).toEqual([1235, 1240, 1245, 1250, 1255, 1260]);
  });

  it('should shorten long positions', () => {
    expect([950, 12_500, 4_641_652].map(formatPosition)).toEqual(['950', '12.5 kb', '4.64 Mb']);
  });
});
