import { describe, expect, it } from 'vitest';
import {
  actionForKey,
  applyAction,
  centreOn,
  clampWindow,
  fullWindow,
  MIN_SPAN,
  panWindow,
  spanOf,
  zoomWindow,
} from '@/lib/genome/view';

const LENGTH = 29_903;

describe('genome window', () => {
  it('should zoom in about the centre, halving the span, and back out to the same window', () => {
    const whole = fullWindow(LENGTH);
    const zoomed = applyAction(whole, LENGTH, 'zoom-in');
    expect(spanOf(zoomed)).toBe(Math.round(LENGTH / 2));
    expect(Math.abs((zoomed.from + zoomed.to) / 2 - (whole.from + whole.to) / 2)).toBeLessThanOrEqual(1);
    expect(applyAction(zoomed, LENGTH, 'zoom-out')).toEqual(whole);
  });

  it('should keep the anchored base under the pointer while zooming', () => {
    const window = { from: 1001, to: 2000 };
    const anchor = 1251;
    const zoomed = zoomWindow(window, LENGTH, 4, anchor);
    const shareBefore = (anchor - window.from) / spanOf(window);
    const shareAfter = (anchor - zoomed.from) / spanOf(zoomed);
    expect(spanOf(zoomed)).toBe(250);
    expect(Math.abs(shareAfter - shareBefore)).toBeLessThan(0.01);
  });

  it('should never zoom below the smallest span, nor out past the contig', () => {
    let window = fullWindow(LENGTH);
    for (let step = 0; step < 30; step += 1) window = applyAction(window, LENGTH, 'zoom-in');
    expect(spanOf(window)).toBe(MIN_SPAN);
    for (let step = 0; step < 30; step += 1) window = applyAction(window, LENGTH, 'zoom-out');
    expect(window).toEqual(fullWindow(LENGTH));
  });

  it('should pan by a quarter of the window and stop at either end', () => {
    const window = { from: 101, to: 200 };
    expect(applyAction(window, LENGTH, 'pan-right')).toEqual({ from: 126, to: 225 });
    expect(applyAction(window, LENGTH, 'pan-left')).toEqual({ from: 76, to: 175 });
    expect(panWindow(window, LENGTH, -1000)).toEqual({ from: 1, to: 100 });
    expect(panWindow(window, LENGTH, 1e9)).toEqual({ from: LENGTH - 99, to: LENGTH });
  });

  it('should centre a window on a position, cut to fit the contig', () => {
    expect(centreOn(5000, 100, LENGTH)).toEqual({ from: 4950, to: 5049 });
    expect(centreOn(3, 100, LENGTH)).toEqual({ from: 1, to: 100 });
    expect(clampWindow(-50, 10, 5)).toEqual({ from: 1, to: 5 });
  });

  it('should map the keys to actions and reset on Home', () => {
    expect(['+', '=', '-', '_', 'ArrowLeft', 'ArrowRight', 'Home', 'a'].map(actionForKey)).toEqual([
      'zoom-in',
      'zoom-in',
      'zoom-out',
      'zoom-out',
      'pan-left',
      'pan-right',
      'reset',
      undefined,
    ]);
    expect(applyAction({ from: 10, to: 40 }, LENGTH, 'reset')).toEqual(fullWindow(LENGTH));
  });
});
