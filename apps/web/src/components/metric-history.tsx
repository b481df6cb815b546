'use client';

import { useEffect } from 'react';
import { useQuery } from 'urql';
import { yDomainMax } from '@/lib/chart';
import { formatCompact } from '@/lib/format';
import { MetricsHistoryQuery } from '@/lib/graphql/operations';
import { TimeSeriesChart } from './time-series-chart';

/** A run's stored metrics (one sample a second) as charts of queue depth and rates. */
export function MetricHistory({ runId, live }: { runId: string; live: boolean }) {
  const [result, reexecute] = useQuery({
    query: MetricsHistoryQuery,
    variables: { run: runId },
    requestPolicy: 'cache-and-network',
  });
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), 5000);
    return () => clearInterval(timer);
  }, [live, reexecute]);
  const samples = (result.data?.metricsHistory ?? []).map((sample) => ({ ...sample, t: Date.parse(sample.at) }));
  const first = samples[0];
  const last = samples.at(-1);
  const domain = first && last ? ([first.t, Math.max(last.t, first.t + 1000)] as const) : undefined;
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Metric history</h2>
      {result.error ? (
        <p className="notice notice-error">{result.error.graphQLErrors[0]?.message ?? result.error.message}</p>
      ) : samples.length === 0 ? (
        <p className="muted">{result.fetching ? 'Loading…' : 'No samples stored for this run.'}</p>
      ) : (
        <div className="charts">
          <p className="chart-note">
            Throttled in {samples.filter((s) => s.throttled).length} of {samples.length} samples.
          </p>
          <TimeSeriesChart
            label={`Queue depth during the run, ${samples.length} samples; peak ${Math.max(...samples.map((s) => s.queueDepth))} batches; throttled in ${samples.filter((s) => s.throttled).length} of them.`}
            series={[
              {
                id: 'queue',
                label: 'Queue depth (batches)',
                points: samples.map((s) => ({ t: s.t, v: s.queueDepth })),
                tone: 'queue',
              },
            ]}
            yMax={yDomainMax(
              samples.map((s) => s.queueDepth),
              10,
            )}
            yFormat={formatCompact}
            domain={domain}
            height={200}
          />
          <TimeSeriesChart
            label={`Rates during the run; peak ingestion ${formatCompact(Math.max(...samples.map((s) => s.ingestionRate)))} reads/s.`}
            series={[
              {
                id: 'ingest',
                label: 'Ingestion (reads/s)',
                points: samples.map((s) => ({ t: s.t, v: s.ingestionRate })),
                tone: 'ingest',
              },
              {
                id: 'process',
                label: 'Processing (reads/s)',
                points: samples.map((s) => ({ t: s.t, v: s.processingRate })),
                tone: 'process',
                dashed: true,
              },
            ]}
            yMax={yDomainMax(
              samples.flatMap((s) => [s.ingestionRate, s.processingRate]),
              1000,
            )}
            yFormat={formatCompact}
            domain={domain}
            height={200}
          />
        </div>
      )}
    </section>
  );
}
