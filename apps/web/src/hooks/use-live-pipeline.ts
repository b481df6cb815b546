'use client';

import { useEffect, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { SampleWindow } from '@/lib/chart';
import { PipelineQuery, type QueueMetrics, QueueMetricsSubscription } from '@/lib/graphql/operations';

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
  const [subscription] = useSubscription(
    { query: QueueMetricsSubscription },
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

  const current = metrics ?? pipelineResult.data?.pipeline.metrics;
  return {
    metrics: current,
    runId: current?.runId ?? null,
    variantsConfirmed: current?.variantsConfirmed,
    samples: samples.current.items,
    version,
    error: subscription.error ?? pipelineResult.error,
    loading: !current,
  };
}
