import { yDomainMax } from '@/lib/chart';
import { formatCount, formatPercent, formatTime } from '@/lib/format';
import type { AlleleFrequencyPoint } from '@/lib/graphql/operations';
import { TimeSeriesChart } from './time-series-chart';

/** The y axis in per cent: a minority variant's line stays readable below 100 %. */
function percentAxisMax(points: readonly AlleleFrequencyPoint[]): number {
  const highest = Math.max(...points.map((point) => point.alleleFrequency * 100));
  for (const top of [5, 10, 25, 50]) if (highest <= top * 0.9) return top;
  return 100;
}

/** The chart's name, read by screen readers: where the frequency started and where it stands. */
function chartLabel(points: readonly AlleleFrequencyPoint[]): string {
  const first = points[0] as AlleleFrequencyPoint;
  const last = points.at(-1) as AlleleFrequencyPoint;
  return (
    `Allele frequency over the run, ${points.length} points: ${formatPercent(first.alleleFrequency)} ` +
    `after ${formatCount(first.readsAnalysed)} reads, ${formatPercent(last.alleleFrequency)} after ` +
    `${formatCount(last.readsAnalysed)} reads at depth ${formatCount(last.depth)}`
  );
}

/** The depth chart's name, read by screen readers: the depth at the first and the last point. */
function depthLabel(points: readonly AlleleFrequencyPoint[]): string {
  const first = points[0] as AlleleFrequencyPoint;
  const last = points.at(-1) as AlleleFrequencyPoint;
  return (
    `Depth at this call over the run, ${points.length} points: ${formatCount(first.depth)} reads after ` +
    `${formatCount(first.readsAnalysed)} reads analysed, ${formatCount(last.depth)} after ${formatCount(last.readsAnalysed)}`
  );
}

/** A call's allele frequency and depth as its run went on: two line charts, and the same points as a table. */
export function AlleleFrequencyHistory({ points }: { points: readonly AlleleFrequencyPoint[] }) {
  if (points.length === 0) return <p className="muted">No frequency recorded yet.</p>;
  const samples = points.map((point) => ({ ...point, t: Date.parse(point.at) }));
  const first = samples[0] as (typeof samples)[number];
  const last = samples.at(-1) as (typeof samples)[number];
  return (
    <div className="charts">
      <TimeSeriesChart
        label={chartLabel(points)}
        series={[
          {
            id: 'allele-frequency',
            label: 'Allele frequency (%)',
            points: samples.map((sample) => ({ t: sample.t, v: sample.alleleFrequency * 100 })),
            tone: 'process',
          },
        ]}
        yMax={percentAxisMax(points)}
        yFormat={(value) => `${value} %`}
        domain={[first.t, Math.max(last.t, first.t + 1000)]}
        height={180}
      />
      <TimeSeriesChart
        label={depthLabel(points)}
        series={[
          {
            id: 'depth',
            label: 'Depth (reads)',
            points: samples.map((sample) => ({ t: sample.t, v: sample.depth })),
            tone: 'queue',
          },
        ]}
        yMax={yDomainMax(
          points.map((point) => point.depth),
          10,
        )}
        yFormat={(value) => formatCount(value)}
        domain={[first.t, Math.max(last.t, first.t + 1000)]}
        height={140}
      />
      <details>
        <summary>Frequency history as a table</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Allele frequency of this call as its run went on</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" className="numeric">
                  Reads analysed
                </th>
                <th scope="col" className="numeric">
                  Allele frequency
                </th>
                <th scope="col" className="numeric">
                  Depth
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={`${point.readsAnalysed}:${point.at}`}>
                  <td>{formatTime(point.at)}</td>
                  <td className="numeric">{formatCount(point.readsAnalysed)}</td>
                  <td className="numeric">{formatPercent(point.alleleFrequency)}</td>
                  <td className="numeric">{formatCount(point.depth)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
