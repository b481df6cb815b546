import type { RunConfigInput } from './config.js';
import type { PipelineState } from './events.js';
import type { PipelineMetrics } from './metrics.js';
import type { WaterMarks } from './queue.js';
import type { LiveGenome } from './sample-coverage.js';

/**
 * What the API needs of a pipeline: the local {@link Pipeline}, or a view over a cluster of
 * replicas where the run may be going on at another one.
 */
export interface PipelineControl {
  readonly state: PipelineState;
  /** The run going on (here or, in a cluster, at another replica). */
  readonly run: { id: string } | undefined;
  metrics(): PipelineMetrics;
  start(input: RunConfigInput): Promise<{ id: string }>;
  stop(drain?: boolean): Promise<{ runId: string }>;
  spike(multiplier: number, durationSeconds: number): void | Promise<void>;
  updateThresholds(highWater: number, lowWater: number): WaterMarks | Promise<WaterMarks>;
  /** The genome of run `runId` while it goes on in this process (its pileups); undefined elsewhere. */
  liveGenome?(runId: string): LiveGenome | undefined;
}
