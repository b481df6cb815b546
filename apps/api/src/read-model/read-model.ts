import type pg from 'pg';
import { GenomeStores } from '../genome/genome-stores.js';
import { type AnalysisFilter, type AnalysisOrderName, AnalysisReads } from './analyses.js';
import { FilteredCounts } from './filtered-count.js';
import type { VariantKey } from './ids.js';
import type { KeysetPage, KeysetRequest } from './keyset.js';
import { metricsHistory } from './metrics-history.js';
import type { AnalysisRow, MetricSampleRow, RunRow, StoredVariantRow } from './rows.js';
import { type RunFilter, RunReads } from './runs.js';
import { type SampleRow, samplesOfRuns } from './samples.js';
import { type VariantFilter, type VariantOrderName, VariantReads } from './variants.js';
import { type RunWarningRow, warningsOfRuns } from './warnings.js';

/**
 * Reads stored results with hand-written SQL: keyset pages, cheap totals (the run row keeps them;
 * finished runs' counts are computed once), batched lookups for loaders. One reader per table
 * does the work; {@link invalidateRun} reaches every cache they keep.
 */
export class ReadModel {
  readonly #counts: FilteredCounts;
  readonly #runs: RunReads;
  readonly #analyses: AnalysisReads;
  readonly #variants: VariantReads;
  /** Stored coverage, and the references and genes of runs read again, for views of their genomes. */
  readonly genome: GenomeStores;

  constructor(private readonly pool: pg.Pool) {
    this.genome = new GenomeStores(pool);
    this.#counts = new FilteredCounts(pool);
    this.#runs = new RunReads(pool);
    this.#analyses = new AnalysisReads(pool, this.#counts);
    this.#variants = new VariantReads(pool, this.#counts);
  }

  /** Runs by id, in the order asked (null where there is none); finished runs from memory. */
  runsById(ids: readonly string[]): Promise<(RunRow | null)[]> {
    return this.#runs.byId(ids);
  }

  /** A page of runs, newest first. */
  runsPage(filter: RunFilter, request: KeysetRequest): Promise<KeysetPage<RunRow>> {
    return this.#runs.page(filter, request);
  }

  /** How many runs match. */
  runsCount(filter: RunFilter): Promise<number> {
    return this.#runs.count(filter);
  }

  /** A page of analyses in the given order. */
  analysesPage(
    filter: AnalysisFilter,
    order: AnalysisOrderName,
    request: KeysetRequest,
  ): Promise<KeysetPage<AnalysisRow>> {
    return this.#analyses.page(filter, order, request);
  }

  /** How many analyses match; a finished run's batch total is on its row. */
  analysesCount(filter: AnalysisFilter, run: RunRow | undefined): Promise<number> {
    return this.#analyses.count(filter, run);
  }

  /** One analysis by its row id, or null. */
  analysisById(id: string): Promise<AnalysisRow | null> {
    return this.#analyses.byId(id);
  }

  /** A page of variant calls, reading only the columns `fields` needs (see {@link VariantReads.page}). */
  variantsPage(
    filter: VariantFilter,
    order: VariantOrderName,
    request: KeysetRequest,
    fields?: Iterable<string>,
  ): Promise<KeysetPage<StoredVariantRow>> {
    return this.#variants.page(filter, order, request, fields);
  }

  /** How many variant calls match; a finished run's confirmed total is on its row. */
  variantsCount(filter: VariantFilter, run: RunRow | undefined): Promise<number> {
    return this.#variants.count(filter, run);
  }

  /** One call by its site in a run, or null. */
  variantByKey(key: VariantKey): Promise<StoredVariantRow | null> {
    return this.#variants.byKey(key);
  }

  /** A run's confirmed calls on one contig in position order, in chunks (for the VCF). */
  confirmedVariants(runId: string, contig: string, chunkSize?: number): AsyncGenerator<StoredVariantRow[]> {
    return this.#variants.confirmed(runId, contig, chunkSize);
  }

  /** Contigs a run has confirmed calls on, by name. */
  confirmedContigs(runId: string): Promise<string[]> {
    return this.#variants.confirmedContigs(runId);
  }

  /** Whether any confirmed call of a run carries effects (its VCF then has `INFO/ANN`). */
  confirmedHaveEffects(runId: string): Promise<boolean> {
    return this.#variants.confirmedHaveEffects(runId);
  }

  /** A run's samples between `from` and `to`, bucketed down to `maxPoints` (see {@link metricsHistory}). */
  metricsHistory(
    runId: string,
    from: Date | undefined,
    to: Date | undefined,
    maxPoints: number,
  ): Promise<MetricSampleRow[]> {
    return metricsHistory(this.pool, runId, from, to, maxPoints);
  }

  /** The samples of each run asked for, in the order they were first stored. */
  samplesOfRuns(runIds: readonly string[]): Promise<SampleRow[][]> {
    return samplesOfRuns(this.pool, runIds);
  }

  /** The latest warnings of each run asked for, newest first. */
  warningsOfRuns(runIds: readonly string[]): Promise<RunWarningRow[][]> {
    return warningsOfRuns(this.pool, runIds);
  }

  /** Forgets what is kept about a run whose data changed. */
  invalidateRun(runId: string): void {
    this.#counts.invalidateRun(runId);
    this.#runs.invalidateRun(runId);
  }
}
