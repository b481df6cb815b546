import { memo } from 'react';
import { type CoverageBins, coverageAreaPath, meanDepthIn } from '@/lib/genome/coverage';
import type { GenomeScale } from '@/lib/genome/scale';
import { LAYOUT } from './track-layout';

/** A stretch below the run's minimum depth. */
export interface LowCoverageRegion {
  from: number;
  to: number;
}

/** Mean depth as an area along the window, with the low-coverage stretches shaded behind it. */
export const CoverageLayer = memo(function CoverageLayer({
  bins,
  scale,
  yMax,
  lowRegions,
}: {
  bins: CoverageBins | undefined;
  scale: GenomeScale;
  yMax: number;
  lowRegions: readonly LowCoverageRegion[];
}) {
  const { from, to } = scale.window;
  return (
    <g
      className="track-coverage"
      transform={`translate(0 ${LAYOUT.coverageTop})`}
      data-testid="track-coverage"
      data-mean-depth={bins ? meanDepthIn(bins, scale.window).toFixed(2) : undefined}
    >
      {lowRegions
        .filter((region) => region.to >= from && region.from <= to)
        .map((region) => {
          const x0 = scale.x(Math.max(region.from, from));
          const x1 = scale.x(Math.min(region.to, to) + 1);
          return (
            <rect
              key={`${region.from}-${region.to}`}
              className="track-low-coverage"
              x={x0}
              width={Math.max(1, x1 - x0)}
              y={0}
              height={LAYOUT.coverageHeight}
            />
          );
        })}
      {bins ? (
        <path className="track-coverage-area" d={coverageAreaPath(bins, scale, yMax, LAYOUT.coverageHeight)} />
      ) : null}
    </g>
  );
});
