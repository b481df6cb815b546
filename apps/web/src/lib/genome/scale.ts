import type { GenomeWindow } from './view';

/** Maps genome positions to pixels across a track `width` wide. Base p covers [x(p), x(p + 1)). */
export interface GenomeScale {
  readonly window: GenomeWindow;
  readonly width: number;
  /** Pixels per base. */
  readonly basePx: number;
  /** The left edge of base `position`. */
  x(position: number): number;
  /** The base under pixel `x`. */
  position(x: number): number;
}

/** The scale of `window` across `width` pixels. */
export function genomeScale(window: GenomeWindow, width: number): GenomeScale {
  const span = window.to - window.from + 1;
  const basePx = width / span;
  return {
    window,
    width,
    basePx,
    x: (position) => (position - window.from) * basePx,
    position: (x) => Math.min(window.to, Math.max(window.from, Math.floor(window.from + x / basePx))),
  };
}

/** The smallest 1, 2 or 5 × 10^n at or above `value`. */
function niceStep(value: number): number {
  const exponent = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const step of [1, 2, 5, 10]) if (step * exponent >= value) return step * exponent;
  return 10 * exponent;
}

/** Round positions to label in the window, about `count` of them. */
export function positionTicks(window: GenomeWindow, count = 6): number[] {
  const step = niceStep((window.to - window.from + 1) / count);
  const ticks: number[] = [];
  for (let position = Math.ceil(window.from / step) * step; position <= window.to; position += step) {
    ticks.push(position);
  }
  return ticks;
}

/** A position as an axis says it: 1,234 · 12.5 kb · 1.25 Mb. */
export function formatPosition(position: number): string {
  if (position >= 1_000_000) return `${Number((position / 1_000_000).toFixed(2))} Mb`;
  if (position >= 10_000) return `${Number((position / 1000).toFixed(1))} kb`;
  return position.toLocaleString('en-US');
}
