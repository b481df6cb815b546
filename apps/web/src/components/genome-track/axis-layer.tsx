import { memo } from 'react';
import { axisTicks } from '@/lib/chart';
import { formatPosition, type GenomeScale, positionTicks } from '@/lib/genome/scale';
import { LAYOUT } from './track-layout';

/** Position ticks along the top with grid lines down the plot, and the depth axis beside the coverage. */
export const AxisLayer = memo(function AxisLayer({
  scale,
  yMax,
  height,
}: {
  scale: GenomeScale;
  yMax: number;
  height: number;
}) {
  const positions = positionTicks(scale.window, Math.max(2, Math.floor(scale.width / 110)));
  const depthTicks = axisTicks(yMax).filter((_, index, all) => index === 0 || index === all.length - 1);
  const depthY = (depth: number) => LAYOUT.coverageTop + LAYOUT.coverageHeight - (depth / yMax) * LAYOUT.coverageHeight;
  return (
    <g className="track-axis">
      {positions.map((position) => {
        const x = scale.x(position) + scale.basePx / 2;
        return (
          <g key={position}>
            <line className="track-grid" x1={x} x2={x} y1={LAYOUT.axisHeight - 4} y2={height} />
            <text
              x={x}
              y={LAYOUT.axisHeight - 8}
              textAnchor={x < 24 ? 'start' : x > scale.width - 24 ? 'end' : 'middle'}
            >
              {formatPosition(position)}
            </text>
          </g>
        );
      })}
      {depthTicks.map((depth) => (
        <text key={depth} x={-6} y={depthY(depth) + 4} textAnchor="end">
          {`${Math.round(depth).toLocaleString('en-US')}×`}
        </text>
      ))}
      <text x={-6} y={LAYOUT.lollipopBaseline - 30} textAnchor="end">
        calls
      </text>
      <line
        className="track-baseline"
        x1={0}
        x2={scale.width}
        y1={LAYOUT.coverageTop + LAYOUT.coverageHeight}
        y2={LAYOUT.coverageTop + LAYOUT.coverageHeight}
      />
    </g>
  );
});
