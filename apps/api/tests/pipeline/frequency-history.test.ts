import { describe, expect, it } from 'vitest';
import { FrequencyHistory, HISTORY_POINTS } from '../../src/pipeline/frequency-history.js';
import type { AlleleFrequencyPoint } from '../../src/pipeline/records.js';

const point = (readsAnalysed: number, alleleFrequency: number, depth: number): AlleleFrequencyPoint => ({
  readsAnalysed,
  alleleFrequency,
  depth,
  at: new Date(1_700_000_000_000 + readsAnalysed),
});

describe("a call's allele frequency history", () => {
  it('should end with the call as it stands, keeping a point only when the frequency moved by 0.05 or the depth doubled', () => {
    const history = new FrequencyHistory();
    history.record(point(100, 0.1, 20));
    history.record(point(200, 0.12, 30));
    const afterSmallSteps = history.record(point(300, 0.13, 39));
    expect(afterSmallSteps.map((kept) => kept.readsAnalysed)).toEqual([100, 300]);

    history.record(point(400, 0.2, 45));
    const afterDepthDoubled = history.record(point(500, 0.2, 90));
    expect(afterDepthDoubled.map((kept) => kept.readsAnalysed)).toEqual([100, 400, 500]);
    expect(afterDepthDoubled.at(-1)).toEqual(point(500, 0.2, 90));
  });

  it('should stay bounded over a long run, keeping its first point and the call as it stands', () => {
    const history = new FrequencyHistory();
    let last: AlleleFrequencyPoint[] = [];
    // The frequency swings by 0.1 every step: every point is one to keep.
    for (let step = 0; step < 10_000; step += 1) last = history.record(point(step, step % 2 ? 0.3 : 0.2, 100));
    expect(last.length).toBeLessThanOrEqual(HISTORY_POINTS + 1);
    expect(last.length).toBeGreaterThan(HISTORY_POINTS / 2);
    expect(last[0]?.readsAnalysed).toBe(0);
    expect(last.at(-1)?.readsAnalysed).toBe(9_999);
    const reads = last.map((kept) => kept.readsAnalysed);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
  });
});
