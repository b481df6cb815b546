'use client';

import { useEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { SampleWindow } from '@/lib/chart';
import {
  PipelineQuery,
  type QueueMetrics,
  QueueMetricsSubscription,
  QueueMetricsSubscriptionBasic,
  StatsQuery,
} from '@/lib/graphql/operations';
import { useTolerantSubscription } from './use-tolerant-subscription';

/** One sample of the live charts. */
export interface LiveSample {
  t: number;
  queueDepth: number;
  highWater: number;
  lowWater: number;
  ingestionRate: number;
  processingRate: number;
}

/** How much history the live charts keep. */
export const LIVE_WINDOW_MS = 3 * 60 * 1000;

/**
 * The live pipeline: the `pipeline` query for a first picture, then `queueMetrics` at 4 Hz; the
 * last minutes of samples for the charts; the run going on and its confirmed variants.
 */
export function useLivePipeline() {
  const [pipelineResult, refetchPipeline] = useQuery({ query: PipelineQuery, requestPolicy: 'network-only' });
  const subscription = useTolerantSubscription(
    QueueMetricsSubscription,
    QueueMetricsSubscriptionBasic,
    (_previous: QueueMetrics | undefined, data) => data.queueMetrics,
  );
  const metrics = subscription.data;
  const samples = useRef(new SampleWindow<LiveSample>(LIVE_WINDOW_MS));
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!metrics) return;
    samples.current.push({
      t: Date.parse(metrics.at),
      queueDepth: metrics.queueDepth,
      highWater: metrics.highWater,
      lowWater: metrics.lowWater,
      ingestionRate: metrics.ingestionRate,
      processingRate: metrics.processingRate,
    });
    setVersion((value) => value + 1);
  }, [metrics]);

  // A change of state may mean a new run (or none): ask for the pipeline again.
  const state = metrics?.state;
  const lastState = useRef(state);
  useEffect(() => {
    if (state && lastState.current && state !== lastState.current) refetchPipeline({ requestPolicy: 'network-only' });
    lastState.current = state;
  }, [state, refetchPipeline]);

  const pipeline = pipelineResult.data?.pipeline;
  const current: QueueMetrics | undefined =
    metrics ??
    (pipeline
      ? {
          at: new Date().toISOString(),
          state: pipeline.state,
          throttled: pipeline.throttled,
          highWater: pipeline.highWater,
          lowWater: pipeline.lowWater,
          ...pipeline.metrics,
        }
      : undefined);
  const runId = metrics?.runId !== undefined ? metrics.runId : (pipeline?.run?.id ?? null);

  // Without `variantsConfirmed` in the metrics (an API.md-only schema), poll the run's stats.
  const needStats = Boolean(runId) && metrics?.variantsConfirmed === undefined;
  const [statsResult, refetchStats] = useQuery({
    query: StatsQuery,
    variables: { run: runId ?? '' },
    pause: !needStats,
    requestPolicy: 'network-only',
  });
  const running = current ? current.state !== 'IDLE' : false;
  useEffect(() => {
    if (!needStats || !running) return;
    const timer = setInterval(() => refetchStats({ requestPolicy: 'network-only' }), 2000);
    return () => clearInterval(timer);
  }, [needStats, running, refetchStats]);

  return {
    metrics: current,
    runId,
    variantsConfirmed: metrics?.variantsConfirmed ?? statsResult.data?.stats?.variantsConfirmed,
    samples: samples.current.items,
    version,
    error: subscription.error ?? pipelineResult.error,
    loading: !current,
  };
}
