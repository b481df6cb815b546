import { randomUUID } from 'node:crypto';
import {
  type AnalysisRecord,
  type InterruptedRun,
  type MetricSampleRecord,
  type NewRun,
  type ReadSourceKind,
  type ResultStore,
  type RunFileEnding,
  type RunFileRecord,
  type RunStatusKind,
  type RunTotals,
  type RunWarningRecord,
  type SampleRecord,
  type VariantRecord,
  variantCallKey,
} from './records.js';

/** A run as the memory store holds it. */
export interface StoredRun extends NewRun, RunTotals {
  id: string;
  status: RunStatusKind;
  error: string | undefined;
}

/**
 * Keeps results in memory with the same identity rules as the database (one analysis per run
 * and sequence, one variant per site). For `helix analyze` without `--db`, and for tests.
 */
export class MemoryResultStore implements ResultStore {
  readonly runs = new Map<string, StoredRun>();
  readonly analyses = new Map<string, AnalysisRecord>();
  readonly variants = new Map<string, VariantRecord>();
  readonly metricSamples: MetricSampleRecord[] = [];
  /** Sequenced samples by run and name. */
  readonly samples = new Map<string, SampleRecord>();
  /** The file ledger of DIRECTORY runs, by run and path. */
  readonly files = new Map<string, RunFileRecord>();
  /** Named warnings of runs, in the order written. */
  readonly warnings: RunWarningRecord[] = [];

  async createRun(run: NewRun): Promise<string> {
    const id = randomUUID();
    const totals = { readsProduced: 0, readsAnalysed: 0, batchesAnalysed: 0, variantsConfirmed: 0 };
    this.runs.set(id, { ...run, ...totals, id, status: 'RUNNING', error: undefined });
    return id;
  }

  async updateRun(runId: string, totals: RunTotals): Promise<void> {
    const run = this.runs.get(runId);
    if (run) Object.assign(run, totals);
  }

  async finishRun(runId: string, status: RunStatusKind, totals: RunTotals, error?: string): Promise<void> {
    const run = this.runs.get(runId);
    if (run) Object.assign(run, totals, { status, error });
  }

  async writeAnalyses(rows: AnalysisRecord[]): Promise<void> {
    for (const row of rows) {
      const key = `${row.runId}:${row.sequence}`;
      if (!this.analyses.has(key)) this.analyses.set(key, row);
    }
  }

  async upsertVariants(rows: VariantRecord[]): Promise<void> {
    for (const row of rows) {
      const key = variantCallKey(row);
      const stored = this.variants.get(key);
      // As in the database: the file arrival and read count of the call's first confirmation are kept.
      const confirmed = row.status === 'CONFIRMED';
      const arrived = stored?.fileArrivedAt ?? (confirmed ? row.fileArrivedAt : undefined);
      const detected = stored?.readsUntilDetection ?? (confirmed ? row.readsUntilDetection : undefined);
      const { fileArrivedAt: _arrived, readsUntilDetection: _detected, ...call } = row;
      this.variants.set(key, {
        ...call,
        ...(arrived && { fileArrivedAt: arrived }),
        ...(detected !== undefined && { readsUntilDetection: detected }),
      });
    }
  }

  async removeCandidatesBesides(runId: string, sample: string, finalCalls: ReadonlySet<string>): Promise<void> {
    for (const [key, row] of this.variants) {
      const stale = row.runId === runId && row.sample === sample && row.status === 'CANDIDATE';
      if (stale && !finalCalls.has(key)) this.variants.delete(key);
    }
  }

  async writeMetricSamples(rows: MetricSampleRecord[]): Promise<void> {
    this.metricSamples.push(...rows);
  }

  async upsertSamples(rows: SampleRecord[]): Promise<void> {
    for (const row of rows) {
      const key = `${row.runId}\t${row.name}`;
      const stored = this.samples.get(key);
      if (!stored || stored.at <= row.at) this.samples.set(key, row);
    }
  }

  async takeFiles(files: readonly RunFileRecord[]): Promise<void> {
    for (const file of files) {
      const key = `${file.runId}\t${file.path}`;
      const stored = this.files.get(key);
      if (!stored || (stored.state === 'TAKEN' && file.state === 'TAKEN')) this.files.set(key, { ...file, reads: 0 });
    }
  }

  async finishFile(runId: string, path: string, ending: RunFileEnding): Promise<void> {
    const file = this.files.get(`${runId}\t${path}`);
    const run = this.runs.get(runId);
    if (file?.state !== 'TAKEN') return;
    const reads = ending.state === 'SKIPPED' ? 0 : ending.reads;
    Object.assign(file, { reads, state: ending.state, reason: ending.state === 'DONE' ? undefined : ending.reason });
    if (run) Object.assign(run, { readsProduced: run.readsProduced + reads, readsAnalysed: run.readsAnalysed + reads });
    if (ending.state !== 'SKIPPED') await this.writeAnalyses([...ending.analyses]);
  }

  async addRunWarnings(rows: RunWarningRecord[]): Promise<void> {
    this.warnings.push(...rows);
  }

  async interruptedRuns(source: ReadSourceKind): Promise<InterruptedRun[]> {
    return [...this.runs.values()]
      .filter((run) => run.status === 'RUNNING' && run.source === source)
      .map((run) => {
        const sequences = [...this.analyses.values()].filter((row) => row.runId === run.id).map((row) => row.sequence);
        const confirmedCalls = [...this.variants.entries()]
          .filter(([, row]) => row.runId === run.id && row.status === 'CONFIRMED')
          .map(([key]) => key);
        return {
          runId: run.id,
          config: run.config,
          nextSequence: sequences.length ? Math.max(...sequences) + 1 : 0,
          batchesStored: sequences.length,
          confirmedCalls,
        };
      });
  }

  async runFiles(runId: string): Promise<RunFileRecord[]> {
    return [...this.files.values()].filter((file) => file.runId === runId);
  }
}
