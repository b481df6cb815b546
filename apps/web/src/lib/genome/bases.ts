import type { GenomeScale } from './scale';
import { type GenomeWindow, spanOf } from './view';

/** At or below this many bases the track shows each reference base (and the calls' alternates). */
export const BASES_SPAN = 200;

/** Whether the window is narrow enough to show its bases. */
export function showsBases(window: GenomeWindow): boolean {
  return spanOf(window) <= BASES_SPAN;
}

/** One base drawn in its cell. */
export interface BaseCell {
  position: number;
  base: string;
  x: number;
  width: number;
}

/**
 * Cells for `sequence` (the reference from `sequenceFrom`) inside the scale's window: a cell per
 * base, as wide as the base is on screen.
 */
export function baseCells(sequence: string, sequenceFrom: number, scale: GenomeScale): BaseCell[] {
  const cells: BaseCell[] = [];
  const { from, to } = scale.window;
  for (let position = Math.max(from, sequenceFrom); position <= to; position += 1) {
    const base = sequence[position - sequenceFrom];
    if (base === undefined) break;
    cells.push({ position, base: base.toUpperCase(), x: scale.x(position), width: scale.basePx });
  }
  return cells;
}

/**
 * The reference to fetch for a view that shows bases: two spans' worth on a grid of
 * {@link BASES_SPAN}, which holds every such view starting in the grid's cell, so panning base by
 * base asks again only when it crosses the grid.
 */
export function basesRequest(window: GenomeWindow, length: number): GenomeWindow | undefined {
  if (!showsBases(window)) return undefined;
  const from = Math.floor((window.from - 1) / BASES_SPAN) * BASES_SPAN + 1;
  return { from, to: Math.min(length, from + 2 * BASES_SPAN - 1) };
}
