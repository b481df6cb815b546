import type { PipelineMetrics } from './metrics.js';
import type { VariantRecord } from './records.js';

/** States of the pipeline, as clients compare them. */
export type PipelineState = 'IDLE' | 'RUNNING' | 'THROTTLED' | 'STOPPING';

/** A confirmed variant as announced while a run goes on (the "mutation detected" alarm). */
export interface MutationDetected extends VariantRecord {}

/** A change of state, with the run it concerns. */
export interface PipelineStatusChange {
  state: PipelineState;
  runId: string | undefined;
  at: Date;
}

/** What the pipeline tells its observers (the GraphQL pubsub, the CLI, tests). */
export interface PipelineObserver {
  metrics?(snapshot: PipelineMetrics): void;
  status?(change: PipelineStatusChange): void;
  mutationDetected?(variant: MutationDetected): void;
  /** Something went wrong that the pipeline recovered from (logged by the server). */
  warning?(message: string, detail?: Record<string, unknown>): void;
}
