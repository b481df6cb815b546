import { formatBytes, formatCount } from './format';
import type { QueueMetrics } from './graphql/operations';

/** Share of high-water at which the dashboard warns before the throttle engages. */
export const WARN_FRACTION = 0.8;

/** What the backpressure banner says, if anything. */
export type Backpressure = { level: 'none' } | { level: 'warning' | 'throttled'; title: string; detail: string };

/** Decides whether the banner shows: throttled, or the queue above 80 % of high-water. */
export function backpressureOf(
  metrics: Pick<QueueMetrics, 'state' | 'throttled' | 'queueDepth' | 'highWater' | 'lowWater'> | undefined,
): Backpressure {
  if (!metrics) return { level: 'none' };
  const { queueDepth, highWater, lowWater } = metrics;
  const share = highWater > 0 ? Math.round((queueDepth / highWater) * 100) : 0;
  if (metrics.throttled || metrics.state === 'THROTTLED') {
    return {
      level: 'throttled',
      title: 'Backpressure: the producer is throttled',
      detail: `Queue at ${queueDepth} of ${highWater} batches (${share} % of high-water); production resumes below ${lowWater}.`,
    };
  }
  if (highWater > 0 && queueDepth > WARN_FRACTION * highWater) {
    return {
      level: 'warning',
      title: 'Backpressure building',
      detail: `Queue at ${queueDepth} of ${highWater} batches (${share} % of high-water); the producer is throttled above ${highWater}.`,
    };
  }
  return { level: 'none' };
}

/** A run folder's backlog on disk, if any: "3 files (12.4 MB), read as the queue drains". */
export function backlogOf(
  metrics: Pick<QueueMetrics, 'filesWaiting' | 'bytesWaiting'> | undefined,
): string | undefined {
  if (!metrics || metrics.filesWaiting === 0) return undefined;
  const files = metrics.filesWaiting === 1 ? '1 file' : `${formatCount(metrics.filesWaiting)} files`;
  return `${files} (${formatBytes(metrics.bytesWaiting)}), read as the queue drains.`;
}
