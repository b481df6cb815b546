'use client';

import { LIVE_WINDOW_MS, type LiveSample } from '@/hooks/use-live-pipeline';
import { yDomainMax } from '@/lib/chart';
import { formatCompact, formatCount, formatRate } from '@/lib/format';
import { TimeSeriesChart } from './time-series-chart';

/** Queue depth against the water marks, and both rates, over the last minutes. */
export function LiveCharts({ samples }: { samples: readonly LiveSample[] }) {
  const latest = samples.at(-1);
  const queue = samples.map((sample) => ({ t: sample.t, v: sample.queueDepth }));
  const high = samples.map((sample) => ({ t: sample.t, v: sample.highWater }));
  const low = samples.map((sample) => ({ t: sample.t, v: sample.lowWater }));
  const ingest = samples.map((sample) => ({ t: sample.t, v: sample.ingestionRate }));
  const process = samples.map((sample) => ({ t: sample.t, v: sample.processingRate }));
  const queueMax = yDomainMax(
    samples.flatMap((sample) => [sample.queueDepth, sample.highWater]),
    10,
    1.15,
  );
  const rateMax = yDomainMax(
    samples.flatMap((sample) => [sample.ingestionRate, sample.processingRate]),
    1000,
  );
  return (
    <div className="charts">
      <section className="panel" aria-labelledby="queue-chart-title">
        <h2 id="queue-chart-title">Queue depth</h2>
        <TimeSeriesChart
          label={
            latest
              ? `Queue depth over the last 3 minutes; now ${formatCount(latest.queueDepth)} batches, high-water ${formatCount(latest.highWater)}, low-water ${formatCount(latest.lowWater)}.`
              : 'Queue depth over the last 3 minutes; no data yet.'
          }
          series={[
            { id: 'high', label: 'High-water', points: high, tone: 'high', dashed: true },
            { id: 'low', label: 'Low-water', points: low, tone: 'low', dashed: true },
            { id: 'queue', label: 'Queue depth (batches)', points: queue, tone: 'queue' },
          ]}
          yMax={queueMax}
          yFormat={formatCompact}
          live={{ windowMs: LIVE_WINDOW_MS }}
        />
      </section>
      <section className="panel" aria-labelledby="rate-chart-title">
        <h2 id="rate-chart-title">Throughput</h2>
        <TimeSeriesChart
          label={
            latest
              ? `Rates over the last 3 minutes; now ingestion ${formatRate(latest.ingestionRate)}, processing ${formatRate(latest.processingRate)}.`
              : 'Rates over the last 3 minutes; no data yet.'
          }
          series={[
            { id: 'ingest', label: 'Ingestion (reads/s)', points: ingest, tone: 'ingest' },
            { id: 'process', label: 'Processing (reads/s)', points: process, tone: 'process', dashed: true },
          ]}
          yMax={rateMax}
          yFormat={formatCompact}
          live={{ windowMs: LIVE_WINDOW_MS }}
        />
      </section>
    </div>
  );
}
