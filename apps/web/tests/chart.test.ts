import { describe, expect, it } from 'vitest';
import { axisTicks, linePath, niceCeil, SampleWindow, ticks, yDomainMax } from '@/lib/chart';

describe('chart scales', () => {
  it('should round axis tops up to nice numbers', () => {
    expect([0, 0.7, 1, 3, 7, 11, 240, 501, 2600].map(niceCeil)).toEqual([1, 1, 1, 5, 10, 20, 250, 1000, 5000]);
  });

  it('should give evenly spaced ticks from zero', () => {
    expect(ticks(1000, 4)).toEqual([0, 250, 500, 750, 1000]);
  });

  it('should pick a tick count that keeps every step round', () => {
    expect(axisTicks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axisTicks(250)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(axisTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(axisTicks(20_000)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
  });

  it('should keep a floor and headroom above the largest value', () => {
    expect(yDomainMax([], 10)).toBe(20);
    expect(yDomainMax([400, 500], 10, 1.15)).toBe(1000);
    expect(yDomainMax([Number.NaN, 90], 1)).toBe(100);
  });
});

describe('linePath', () => {
  it('should scale time to x and value to y from the bottom', () => {
    const path = linePath(
      [
        { t: 1000, v: 0 },
        { t: 2000, v: 50 },
        { t: 3000, v: 200 },
      ],
      { t0: 1000, pxPerMs: 0.1, yMax: 100, height: 100 },
    );
    expect(path).toBe('M0.0,100.0L100.0,50.0L200.0,0.0');
  });

  it('should skip points outside the range but keep the neighbours that reach the edges', () => {
    const points = [0, 1, 2, 3, 4, 5].map((t) => ({ t: t * 1000, v: 1 }));
    const path = linePath(points, { t0: 0, pxPerMs: 0.01, yMax: 1, height: 10, tMin: 2500, tMax: 3500 });
    expect(path.split(/[ML]/).filter(Boolean)).toHaveLength(3);
  });
});

describe('SampleWindow', () => {
  it('should keep the window plus one older point, oldest first', () => {
    const window = new SampleWindow<{ t: number }>(1000);
    for (const t of [0, 400, 800, 1200, 1600, 2000]) window.push({ t });
    expect(window.items.map((item) => item.t)).toEqual([800, 1200, 1600, 2000]);
  });

  it('should hold no more than its capacity', () => {
    const window = new SampleWindow<{ t: number }>(1e9, 3);
    for (let t = 0; t < 10; t++) window.push({ t });
    expect(window.items.map((item) => item.t)).toEqual([7, 8, 9]);
  });

  it('should restart when time goes backwards (a server restart)', () => {
    const window = new SampleWindow<{ t: number }>(10_000);
    for (const t of [5000, 6000, 7000]) window.push({ t });
    window.push({ t: 1000 });
    expect(window.items.map((item) => item.t)).toEqual([1000]);
  });
});
