import type { GenomeScale } from './scale';
import { type GenomeWindow, spanOf } from './view';

/** The most bins the API gives in one answer. */
export const MAX_BINS = 5000;

/** What the track asks `coverage` for: a window wider than the view, on a grid, so small pans reuse it. */
export interface CoverageRequest {
  from: number;
  to: number;
  bins: number;
}

/** Depth along a stretch of contig, as `coverage` answers. */
export interface CoverageBins {
  from: number;
  to: number;
  binSize: number;
  depths: readonly number[];
  maxDepths: readonly number[];
}

/**
 * The coverage to fetch for `view` drawn `widthPx` wide: bins of a power-of-two size near one per
 * pixel, over the view and half a view either side, its ends on a grid of 16 bins. Views that
 * differ by a few pixels' pan or none at all ask the same question, which urql answers from its cache.
 */
export function coverageRequest(view: GenomeWindow, length: number, widthPx: number): CoverageRequest {
  const span = spanOf(view);
  const perPixel = span / Math.max(1, widthPx);
  const binSize = perPixel <= 1 ? 1 : 2 ** Math.floor(Math.log2(perPixel));
  const grid = binSize * 16;
  const from = Math.max(1, Math.floor((view.from - 1 - span / 2) / grid) * grid + 1);
  const to = Math.min(length, Math.ceil((view.to + span / 2) / grid) * grid);
  return { from, to, bins: Math.min(MAX_BINS, Math.max(1, Math.ceil((to - from + 1) / binSize))) };
}

/** Whether `bins` (fetched earlier) hold the whole of `view`, so they can be drawn until fresher ones come. */
export function coversWindow(bins: CoverageBins | undefined, view: GenomeWindow): boolean {
  return bins !== undefined && bins.from <= view.from && bins.to >= view.to;
}

/** The mean depth over `view`, each bin weighed by the bases it shares with the view. */
export function meanDepthIn(bins: CoverageBins, view: GenomeWindow): number {
  let total = 0;
  let bases = 0;
  bins.depths.forEach((depth, index) => {
    const start = Math.max(view.from, bins.from + index * bins.binSize);
    const end = Math.min(view.to, bins.to, bins.from + (index + 1) * bins.binSize - 1);
    if (end < start) return;
    total += depth * (end - start + 1);
    bases += end - start + 1;
  });
  return bases === 0 ? 0 : total / bases;
}

/** The deepest mean depth of the bins that touch `view`. */
export function deepestIn(bins: CoverageBins, view: GenomeWindow): number {
  let deepest = 0;
  bins.depths.forEach((depth, index) => {
    const start = bins.from + index * bins.binSize;
    if (start <= view.to && start + bins.binSize - 1 >= view.from && depth > deepest) deepest = depth;
  });
  return deepest;
}

/**
 * The coverage as a stepped area: each bin a flat top over its bases, from the baseline at
 * `height` up to its depth against `yMax`. Bins outside the scale's window are left out.
 */
export function coverageAreaPath(bins: CoverageBins, scale: GenomeScale, yMax: number, height: number): string {
  const { from: viewFrom, to: viewTo } = scale.window;
  const y = (depth: number) => (height - (Math.min(depth, yMax) / yMax) * height).toFixed(1);
  const x = (position: number) => Math.min(scale.width, Math.max(0, scale.x(position))).toFixed(1);
  let path = '';
  let lastX = '';
  bins.depths.forEach((depth, index) => {
    const start = bins.from + index * bins.binSize;
    const end = Math.min(bins.to, start + bins.binSize - 1);
    if (end < viewFrom || start > viewTo) return;
    if (!path) path = `M${x(start)},${height}`;
    path += `L${x(start)},${y(depth)}L${x(end + 1)},${y(depth)}`;
    lastX = x(end + 1);
  });
  return path ? `${path}L${lastX},${height}Z` : '';
}
