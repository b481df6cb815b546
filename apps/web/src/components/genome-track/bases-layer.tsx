import { memo } from 'react';
import type { BaseCell } from '@/lib/genome/bases';
import type { Lollipop } from '@/lib/genome/lollipops';
import { LAYOUT } from './track-layout';

/** The reference's bases, one cell each, and under them each call's alternate allele at its position. */
export const BasesLayer = memo(function BasesLayer({
  cells,
  calls,
  basePx,
  top,
}: {
  cells: readonly BaseCell[];
  calls: readonly Lollipop[];
  basePx: number;
  top: number;
}) {
  const letters = basePx >= 7;
  const row = LAYOUT.baseRowHeight;
  return (
    <g className="track-bases" transform={`translate(0 ${top})`} data-testid="track-bases">
      <g data-testid="reference-bases" aria-label="Reference bases">
        {cells.map((cell) => (
          <g key={cell.position} className={`base base-${cell.base.toLowerCase()}`} data-position={cell.position}>
            <rect x={cell.x} width={Math.max(1, cell.width - 1)} y={0} height={row - 2} />
            {letters ? (
              <text x={cell.x + cell.width / 2} y={row - 5} textAnchor="middle">
                {cell.base}
              </text>
            ) : null}
          </g>
        ))}
      </g>
      <g data-testid="alternate-bases" aria-label="Alternate alleles">
        {calls.map(({ variant, x }) => {
          const width = Math.max(basePx, basePx * variant.ref.length);
          const left = x - basePx / 2;
          return (
            <g key={variant.id} className="base base-alt" data-position={variant.position}>
              <rect x={left} width={Math.max(1, width - 1)} y={row} height={row - 2} />
              <text x={left + width / 2} y={2 * row - 5} textAnchor="middle">
                {variant.alt.length * 7 > width + 14 ? `${variant.alt.slice(0, 3)}…` : variant.alt}
              </text>
            </g>
          );
        })}
      </g>
    </g>
  );
});
