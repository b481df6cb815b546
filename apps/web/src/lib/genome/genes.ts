import type { GenomeScale } from './scale';

/** A gene or other feature of the reference, as `genomeFeatures` gives it. */
export interface TrackFeature {
  gene?: string | null;
  locusTag?: string | null;
  product?: string | null;
  kind: string;
  strand: 'FORWARD' | 'REVERSE';
  from: number;
  to: number;
}

/** A feature placed on a row, with its arrow's outline. */
export interface GeneArrow {
  feature: TrackFeature;
  row: number;
  /** SVG polygon points. */
  points: string;
  /** Where a label fits, if the arrow is wide enough for one. */
  labelX: number;
  labelFits: boolean;
}

/** The name a feature is shown by: its gene, else its locus tag, else its kind. */
export function featureName(feature: TrackFeature): string {
  return feature.gene ?? feature.locusTag ?? feature.kind;
}

/**
 * Rows for features that overlap: each goes on the first row whose last feature ended before it
 * starts (features sorted by start), so nested and overlapping genes stack.
 */
export function packRows(features: readonly TrackFeature[]): number[] {
  const order = features
    .map((_, index) => index)
    .sort((a, b) => {
      const left = features[a] as TrackFeature;
      const right = features[b] as TrackFeature;
      return left.from - right.from || right.to - left.to;
    });
  const rowEnds: number[] = [];
  const rows = new Array<number>(features.length).fill(0);
  for (const index of order) {
    const feature = features[index] as TrackFeature;
    let row = rowEnds.findIndex((end) => end < feature.from);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = feature.to;
    rows[index] = row;
  }
  return rows;
}

/**
 * A block arrow from `x0` to `x1` (pixels) with its top at `y`, pointing right for the forward
 * strand and left for the reverse; the head is at most `headPx` long and never longer than the body.
 */
export function arrowPoints(x0: number, x1: number, y: number, height: number, forward: boolean, headPx = 8): string {
  const head = Math.min(headPx, (x1 - x0) / 2);
  const mid = y + height / 2;
  const bottom = y + height;
  const p = (x: number, yy: number) => `${x.toFixed(1)},${yy.toFixed(1)}`;
  return forward
    ? [p(x0, y), p(x1 - head, y), p(x1, mid), p(x1 - head, bottom), p(x0, bottom)].join(' ')
    : [p(x0 + head, y), p(x1, y), p(x1, bottom), p(x0 + head, bottom), p(x0, mid)].join(' ');
}

/**
 * Arrows for the features in the scale's window, cut at its edges (a cut end has no head), on
 * rows `rowHeight` apart, each arrow `arrowHeight` tall.
 */
export function layoutGenes(
  features: readonly TrackFeature[],
  scale: GenomeScale,
  options: { rowHeight: number; arrowHeight: number },
): GeneArrow[] {
  const rows = packRows(features);
  const arrows: GeneArrow[] = [];
  features.forEach((feature, index) => {
    const { window } = scale;
    if (feature.to < window.from || feature.from > window.to) return;
    const x0 = scale.x(Math.max(feature.from, window.from));
    const x1 = scale.x(Math.min(feature.to, window.to) + 1);
    const forward = feature.strand === 'FORWARD';
    const headCut = forward ? feature.to > window.to : feature.from < window.from;
    const row = rows[index] as number;
    const y = row * options.rowHeight;
    const points = arrowPoints(x0, x1, y, options.arrowHeight, forward, headCut ? 0 : 8);
    const name = featureName(feature);
    arrows.push({
      feature,
      row,
      points,
      labelX: (x0 + x1) / 2,
      labelFits: x1 - x0 > name.length * 7 + 12,
    });
  });
  return arrows;
}
