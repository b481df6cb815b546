import { formatPercent } from '@/lib/format';
import type { GenomeSample } from '@/lib/graphql/genome-operations';

/** A sample's mean depth and breadth, and its low-coverage stretches on this contig (each one zooms there). */
export function SampleCoverageSummary({
  sample,
  contig,
  onZoom,
}: {
  sample: GenomeSample | undefined;
  contig: string;
  onZoom(from: number, to: number): void;
}) {
  if (!sample) return null;
  const low = sample.lowCoverageRegions.filter((region) => region.contig === contig);
  return (
    <div className="track-summary">
      <dl className="summary summary-compact" data-testid="track-breadth">
        <div>
          <dt>Mean depth</dt>
          <dd>{`${sample.meanDepth.toFixed(1)}×`}</dd>
        </div>
        <div>
          <dt>Breadth ≥ 1×</dt>
          <dd>{formatPercent(sample.breadth1x)}</dd>
        </div>
        <div>
          <dt>Breadth ≥ 10×</dt>
          <dd>{formatPercent(sample.breadth10x)}</dd>
        </div>
        <div>
          <dt>Breadth ≥ 100×</dt>
          <dd>{formatPercent(sample.breadth100x)}</dd>
        </div>
      </dl>
      {low.length > 0 ? (
        <details className="track-low-list">
          <summary>{`${low.length}${low.length === 100 ? '+' : ''} low-coverage regions on ${contig}`}</summary>
          <ul>
            {low.slice(0, 20).map((region) => (
              <li key={`${region.from}-${region.to}`}>
                <button type="button" className="link-button" onClick={() => onZoom(region.from, region.to)}>
                  {`${region.from.toLocaleString('en-US')}–${region.to.toLocaleString('en-US')}`}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
