import { type ConsequenceName, consequenceTone } from '@/lib/effects';
import type { GenomeScale } from './scale';

/** A variant call as the track draws it. */
export interface TrackVariant {
  id: string;
  position: number;
  ref: string;
  alt: string;
  alleleFrequency: number;
  depth: number;
  quality: number;
  /** The most severe consequence, when the run has genes. */
  consequence?: ConsequenceName | null;
  /** "S:D614G missense" and the like, when annotated. */
  effect?: string | null;
  /** The mutation of concern's label (or its name) when the call is one. */
  concern?: string | null;
}

/** A lollipop's colour: the consequence's family, or `unannotated` for a run without genes. */
export type LollipopColour = 'severe' | 'missense' | 'synonymous' | 'noncoding' | 'unannotated';

/** A variant placed: its stem at `x`, its head `radius` wide centred at `headY`. */
export interface Lollipop {
  variant: TrackVariant;
  x: number;
  headY: number;
  radius: number;
  colour: LollipopColour;
}

/** Head radius in pixels: area grows with allele frequency, from 3 px (rare) to 8 px (fixed). */
export function lollipopRadius(alleleFrequency: number): number {
  const share = Math.min(1, Math.max(0, alleleFrequency));
  return 3 + 5 * Math.sqrt(share);
}

/** The colour family of a consequence. */
export function lollipopColour(consequence: ConsequenceName | null | undefined): LollipopColour {
  if (!consequence) return 'unannotated';
  const tone = consequenceTone(consequence);
  if (tone === 'severe') return 'severe';
  if (tone === 'changed') return 'missense';
  return consequence === 'SYNONYMOUS' ? 'synonymous' : 'noncoding';
}

/** Words for each colour, for the legend. */
export const LOLLIPOP_COLOUR_WORDS: Record<LollipopColour, string> = {
  severe: 'stop, start or frameshift',
  missense: 'missense or in-frame',
  synonymous: 'synonymous',
  noncoding: 'intergenic or non-coding',
  unannotated: 'not annotated',
};

/**
 * Lays out the variants inside the scale's window: each head sits on its stem from the baseline;
 * a head that would overlap its left neighbour's on the same level goes up a level (at most
 * `levels`, then it overlaps the top one), so crowded stretches stay readable.
 */
export function layoutLollipops(
  variants: readonly TrackVariant[],
  scale: GenomeScale,
  options: { baseline: number; levelHeight: number; levels: number },
): Lollipop[] {
  const { window } = scale;
  const visible = variants
    .filter((variant) => variant.position >= window.from && variant.position <= window.to)
    .sort((a, b) => a.position - b.position || a.alt.localeCompare(b.alt));
  /** The right edge of the last head on each level. */
  const rightEdge: number[] = Array.from({ length: options.levels }, () => Number.NEGATIVE_INFINITY);
  return visible.map((variant) => {
    const x = scale.x(variant.position) + scale.basePx / 2;
    const radius = lollipopRadius(variant.alleleFrequency);
    let level = rightEdge.findIndex((edge) => edge + 1 <= x - radius);
    if (level < 0) level = options.levels - 1;
    rightEdge[level] = x + radius;
    const headY = options.baseline - options.levelHeight * (level + 1);
    return { variant, x, headY, radius, colour: lollipopColour(variant.consequence) };
  });
}
