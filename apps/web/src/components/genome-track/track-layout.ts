/** Where each lane of the genome track sits, in SVG pixels from the plot's top left. */
export const LAYOUT = {
  marginLeft: 56,
  marginRight: 12,
  axisHeight: 22,
  /** Lollipops stand on this line, the coverage area's top. */
  lollipopBaseline: 92,
  lollipopLevelHeight: 18,
  lollipopLevels: 3,
  coverageTop: 96,
  coverageHeight: 80,
  /** Reference and alternate rows, present only when bases are shown. */
  baseRowHeight: 16,
  geneRowHeight: 17,
  geneArrowHeight: 12,
  geneRows: 3,
} as const;

/** The top of the bases lane (when shown) and of the genes lane, and the track's whole height. */
export function laneTops(showBases: boolean): { bases: number; genes: number; height: number } {
  const bases = LAYOUT.coverageTop + LAYOUT.coverageHeight + 6;
  const genes = bases + (showBases ? 2 * LAYOUT.baseRowHeight + 6 : 0);
  return { bases, genes, height: genes + LAYOUT.geneRows * LAYOUT.geneRowHeight + 4 };
}
