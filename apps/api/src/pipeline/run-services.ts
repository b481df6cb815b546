import type { ContigInfo, VariantCall } from '@helix/native';
import type { DetectorsFactory } from './detector.js';
import type { PipelineObserver } from './events.js';
import type { DoneFile } from './file-replay.js';
import type { ResultStore, RunStatusKind, RunTotals, SampleCoverageRecord, SampleRecord } from './records.js';
import type { ResumedReads, RunFolderAccess } from './run-inputs.js';
import type { SinkOptions } from './sink.js';

/** The calls of one sample. */
export interface SampleCallSet {
  sample: string;
  calls: VariantCall[];
}

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: RunStatusKind;
  totals: RunTotals;
  /** Batches dropped from the queue by a stop without drain. */
  batchesDiscarded: number;
  error: string | undefined;
  /** Reads whose bases held characters other than ACGTN (read as N), reported to the user. */
  ambiguousReads: number;
  /** Every call of the run at its end, candidates included, over all samples. */
  calls: VariantCall[];
  /** The same calls by sample, in first-seen order. */
  sampleCalls: SampleCallSet[];
  /** The reference's contigs, in file order. */
  contigs: ContigInfo[];
  /** The figures of every sample of the run (one per run for now). */
  samples: SampleRecord[];
  /** Each sample's coverage of each contig at the run's end, with its stretches below the run's minimum depth. */
  coverage: SampleCoverageRecord[];
}

/** Something a restart noticed about a run's files, told once the run goes on. */
export interface ResumeWarning {
  message: string;
  detail: Record<string, unknown>;
}

/** A DIRECTORY run taken up again after a restart: its id, the files it took, the reads already counted. */
export interface ResumedRun extends ResumedReads {
  runId: string;
  /** Reads of the files DONE in its ledger, counted into the run before the restart. */
  readsCounted: number;
  /** Batches of those files, analysed and stored before the restart. */
  batchesCounted: number;
  /** The same reads by sample. */
  readsCountedBySample: Readonly<Record<string, number>>;
  /** The files DONE in its ledger, read again into their samples' pileups (their reads not counted again). */
  replay: readonly DoneFile[];
  /** E.g. a file that changed after it was taken. */
  warnings: readonly ResumeWarning[];
  /** Calls confirmed (and announced) before the restart: confirmed again, they raise no second alarm. */
  announced: readonly string[];
}

/** Services a run needs from its pipeline. */
export interface RunServices {
  store: ResultStore;
  observer: PipelineObserver;
  sinkOptions?: SinkOptions;
  /** The least time between two calls of one sample while the run goes on (default: none). */
  callIntervalMs?: number;
  /** Called on every throttle / resume so the pipeline can publish its state. */
  onThrottleChange(throttled: boolean): void;
  /** Where batches are analysed (default: this process's detector threads). */
  createDetectors?: DetectorsFactory;
  /** How DIRECTORY runs follow their folders (without it, they are refused). */
  folders?: RunFolderAccess;
  /** Where saved aligner indexes go (default: beside the reference, else the user's cache). */
  indexDir?: string;
}
