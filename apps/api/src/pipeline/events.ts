import type { PipelineMetrics } from './metrics.js';
import type { VariantRecord } from './records.js';

/** States of the pipeline, as clients compare them. */
export type PipelineState = 'IDLE' | 'RUNNING' | 'THROTTLED' | 'STOPPING';

/**
 * How quickly an alarm followed its evidence; carried by the live alarm only, never stored. The
 * pipeline sets what it knows; an alarm relayed from elsewhere (another replica) may lack any of it.
 */
export interface AlarmTiming {
  /**
   * When the file holding the read that tipped the call arrived: its last modification time (the
   * latest over mates), approximated by the latest arrival among the sample's files analysed when
   * the site was confirmed. Absent outside DIRECTORY runs.
   */
  fileArrivedAt?: Date;
  /** When the alarm went out. */
  detectedAt?: Date;
  /** Reads of the sample analysed when the site was confirmed (a resumed run's earlier reads included). */
  readsUntilDetection?: number;
}

/** A confirmed variant as announced while a run goes on (the "mutation detected" alarm). */
export interface MutationDetected extends VariantRecord, AlarmTiming {}

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
