import type pg from 'pg';
import { concernKeys } from '../concern/keys.js';
import type {
  AnalysisRecord,
  InterruptedRun,
  MetricSampleRecord,
  NewRun,
  ReadSourceKind,
  ResultStore,
  RunFileEnding,
  RunFileRecord,
  RunStatusKind,
  RunTotals,
  RunWarningRecord,
  SampleCoverageRecord,
  SampleRecord,
  VariantRecord,
} from '../pipeline/records.js';
import { variantCallKey } from '../pipeline/records.js';
import { insertAnalyses } from './analysis-rows.js';
import { upsertSampleCoverage } from './coverage-rows.js';
import { PostgresRunFileLedger } from './run-file-ledger.js';

/** Rows of a batch of variants one statement writes at most (the rest go beside it, at once). */
const ROWS_PER_STATEMENT = 250;

/** What identifies a stored call: its site and its sample. */
type VariantCallRow = Pick<VariantRecord, 'runId' | 'sample' | 'contig' | 'position' | 'ref' | 'alt'>;

/**
 * The pipeline's results in PostgreSQL, written with hand-written multi-row statements
 * (`unnest` of column arrays: one round trip per batch of rows). Every write is idempotent:
 * analyses are keyed by run and sequence, variants by site, metric samples by run and second,
 * sequenced samples by run and name (the latest figures win); run files and warnings are kept by
 * {@link PostgresRunFileLedger}.
 */
export class PostgresResultStore implements ResultStore {
  readonly #files: PostgresRunFileLedger;

  constructor(private readonly pool: pg.Pool) {
    this.#files = new PostgresRunFileLedger(pool);
  }

  async createRun(run: NewRun): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO runs (id, source, config, reference_name, reference_length, contigs)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING id`,
      [run.source, JSON.stringify(run.config), run.referenceName, run.referenceLength, JSON.stringify(run.contigs)],
    );
    return (rows[0] as { id: string }).id;
  }

  async updateRun(runId: string, totals: RunTotals): Promise<void> {
    await this.pool.query(
      `UPDATE runs SET reads_produced = $2, reads_analysed = $3, batches_analysed = $4, variants_confirmed = $5
       WHERE id = $1`,
      [runId, totals.readsProduced, totals.readsAnalysed, totals.batchesAnalysed, totals.variantsConfirmed],
    );
  }

  async finishRun(runId: string, status: RunStatusKind, totals: RunTotals, error?: string): Promise<void> {
    await this.pool.query(
      `UPDATE runs SET status = $2, stopped_at = now(), error = $3, reads_produced = $4, reads_analysed = $5,
         batches_analysed = $6, variants_confirmed = $7
       WHERE id = $1`,
      [
        runId,
        status,
        error ?? null,
        totals.readsProduced,
        totals.readsAnalysed,
        totals.batchesAnalysed,
        totals.variantsConfirmed,
      ],
    );
  }

  writeAnalyses(rows: AnalysisRecord[]): Promise<void> {
    return insertAnalyses(this.pool, rows);
  }

  async upsertVariants(rows: VariantRecord[]): Promise<void> {
    // A large batch (a run's end writes every call) goes as a few statements at once, each on a
    // connection of its own: reading a statement's JSON documents (effects are ~700 bytes a row)
    // is one backend's work, and a run's end had waited on them one after the other with a core
    // idle. The parts hold distinct calls, so they never wait on each other's rows.
    // Each part is sent before the next is written out, so PostgreSQL reads one while the event
    // loop writes the next instead of waiting for all of them.
    const writes: Promise<void>[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      if (start > 0) await new Promise(setImmediate);
      const write = this.#upsertVariantRows(rows.slice(start, start + ROWS_PER_STATEMENT));
      // Handled here, so that a part failing while the next is written out is no unhandled rejection.
      write.catch(() => {});
      writes.push(write);
    }
    const written = await Promise.allSettled(writes);
    // Every part settled first: a retry of the batch never overlaps a part still being written.
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async #upsertVariantRows(rows: VariantRecord[]): Promise<void> {
    // A row arriving without effects (a call of a run without annotation, or written before its
    // site was annotated) never wipes effects already stored; the arrays follow the effects kept.
    // `effects` is `json`, which has no `=`: its text is compared, always written compact.
    const kept = (column: string) =>
      `${column} = CASE WHEN EXCLUDED.effects::text = '[]' AND variants.effects::text <> '[]'
         THEN variants.${column} ELSE EXCLUDED.${column} END`;
    await this.pool.query(
      `INSERT INTO variants (run_id, sample, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency,
         quality, status, first_seen_at, last_seen_at, confirmed_at, effects, genes, consequences, protein_changes,
         file_arrived_at, forward_alt_count, reverse_alt_count, forward_ref_count, reverse_ref_count, strand_bias,
         filters, allele_frequency_history, reads_until_detection)
       SELECT run_id, sample, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency, quality, status,
         seen_at, seen_at, CASE WHEN status = 'CONFIRMED' THEN seen_at END, COALESCE(effect.effects, '[]'::json),
         COALESCE(annotated.genes, '{}'), COALESCE(annotated.consequences, '{}'), COALESCE(annotated.protein_changes, '{}'),
         CASE WHEN status = 'CONFIRMED' THEN file_arrived_at END, forward_alt_count, reverse_alt_count, forward_ref_count,
         reverse_ref_count, strand_bias, annotated.filters, annotated.allele_frequency_history,
         CASE WHEN status = 'CONFIRMED' THEN reads_until_detection END
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::"VariantType"[], $7::text[],
         $8::int[], $9::int[], $10::float8[], $11::float8[], $12::"VariantStatus"[], $13::timestamptz[], $14::text[],
         $15::timestamptz[], $17::int[], $18::int[], $19::int[], $20::int[], $21::float8[], $22::int8[]) WITH ORDINALITY
         AS incoming(run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency, quality,
           status, seen_at, sample, file_arrived_at, forward_alt_count, reverse_alt_count, forward_ref_count,
           reverse_ref_count, strand_bias, reads_until_detection, row_number)
       CROSS JOIN LATERAL jsonb_to_record($16::jsonb -> (row_number::int - 1))
         AS annotated(genes text[], consequences text[], protein_changes text[], filters text[],
           allele_frequency_history jsonb)
       LEFT JOIN json_array_elements($23::json) WITH ORDINALITY AS effect(effects, ordinal)
         ON effect.ordinal = incoming.row_number
       ON CONFLICT (run_id, contig, position, ref, alt, sample) DO UPDATE SET
         genotype = EXCLUDED.genotype, depth = EXCLUDED.depth, alt_count = EXCLUDED.alt_count,
         allele_frequency = EXCLUDED.allele_frequency, quality = EXCLUDED.quality,
         forward_alt_count = EXCLUDED.forward_alt_count, reverse_alt_count = EXCLUDED.reverse_alt_count,
         forward_ref_count = EXCLUDED.forward_ref_count, reverse_ref_count = EXCLUDED.reverse_ref_count,
         strand_bias = EXCLUDED.strand_bias, filters = EXCLUDED.filters,
         allele_frequency_history = EXCLUDED.allele_frequency_history,
         status = EXCLUDED.status, last_seen_at = EXCLUDED.last_seen_at,
         confirmed_at = COALESCE(variants.confirmed_at, EXCLUDED.confirmed_at),
         file_arrived_at = COALESCE(variants.file_arrived_at, EXCLUDED.file_arrived_at),
         reads_until_detection = COALESCE(variants.reads_until_detection, EXCLUDED.reads_until_detection),
         ${kept('genes')}, ${kept('consequences')}, ${kept('protein_changes')}, ${kept('effects')}`,
      [
        rows.map((row) => row.runId),
        rows.map((row) => row.contig),
        rows.map((row) => row.position),
        rows.map((row) => row.ref),
        rows.map((row) => row.alt),
        rows.map((row) => row.type),
        rows.map((row) => row.genotype),
        rows.map((row) => row.depth),
        rows.map((row) => row.altCount),
        rows.map((row) => row.alleleFrequency),
        rows.map((row) => row.quality),
        rows.map((row) => row.status),
        rows.map((row) => row.seenAt),
        rows.map((row) => row.sample),
        rows.map((row) => row.fileArrivedAt ?? null),
        JSON.stringify(rows.map(documentColumns)),
        rows.map((row) => row.forwardAltCount),
        rows.map((row) => row.reverseAltCount),
        rows.map((row) => row.forwardRefCount),
        rows.map((row) => row.reverseRefCount),
        rows.map((row) => row.strandBias),
        rows.map((row) => row.readsUntilDetection ?? null),
        effectsDocument(rows),
      ],
    );
  }

  async removeCandidatesBesides(runId: string, sample: string, finalCalls: ReadonlySet<string>): Promise<void> {
    const { rows } = await this.pool.query<VariantCallRow>(
      `SELECT run_id::text AS "runId", sample, contig, position, ref, alt FROM variants
       WHERE run_id = $1 AND sample = $2 AND status = 'CANDIDATE'`,
      [runId, sample],
    );
    const stale = rows.filter((row) => !finalCalls.has(variantCallKey(row)));
    if (stale.length === 0) return;
    // Matched as CANDIDATE again: a row confirmed since the read is never removed.
    await this.pool.query(
      `DELETE FROM variants USING unnest($3::text[], $4::int[], $5::text[], $6::text[]) AS stale(contig, position, ref, alt)
       WHERE variants.run_id = $1 AND variants.sample = $2 AND variants.status = 'CANDIDATE'
         AND (variants.contig, variants.position, variants.ref, variants.alt) = (stale.contig, stale.position, stale.ref, stale.alt)`,
      [
        runId,
        sample,
        stale.map((row) => row.contig),
        stale.map((row) => row.position),
        stale.map((row) => row.ref),
        stale.map((row) => row.alt),
      ],
    );
  }

  async writeMetricSamples(rows: MetricSampleRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO metric_samples (run_id, at, ingestion_rate, processing_rate, queue_depth, in_flight, throttled, sink_lag,
         reads_produced, reads_analysed, latency_p50_ms, latency_p99_ms)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::bool[],
         $8::int[], $9::int8[], $10::int8[], $11::float8[], $12::float8[])
       ON CONFLICT (run_id, at) DO NOTHING`,
      [
        rows.map((row) => row.runId),
        rows.map((row) => row.at),
        rows.map((row) => row.ingestionRate),
        rows.map((row) => row.processingRate),
        rows.map((row) => row.queueDepth),
        rows.map((row) => row.inFlight),
        rows.map((row) => row.throttled),
        rows.map((row) => row.sinkLag),
        rows.map((row) => row.readsProduced),
        rows.map((row) => row.readsAnalysed),
        rows.map((row) => row.latencyP50Ms ?? null),
        rows.map((row) => row.latencyP99Ms ?? null),
      ],
    );
  }

  async upsertSamples(rows: SampleRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO run_samples (run_id, name, reads_analysed, mapped_reads, mean_depth, breadth_1x, breadth_10x,
         variants_confirmed, updated_at, properly_paired_reads, breadth_100x)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::int8[], $5::float8[], $6::float8[], $7::float8[],
         $8::int[], $9::timestamptz[], $10::int8[], $11::float8[])
       ON CONFLICT (run_id, name) DO UPDATE SET
         reads_analysed = EXCLUDED.reads_analysed, mapped_reads = EXCLUDED.mapped_reads,
         properly_paired_reads = EXCLUDED.properly_paired_reads,
         mean_depth = EXCLUDED.mean_depth, breadth_1x = EXCLUDED.breadth_1x, breadth_10x = EXCLUDED.breadth_10x,
         breadth_100x = EXCLUDED.breadth_100x,
         variants_confirmed = EXCLUDED.variants_confirmed, updated_at = EXCLUDED.updated_at
       -- A figure taken earlier but written later (a slow periodic write) never overwrites the final one.
       WHERE run_samples.updated_at <= EXCLUDED.updated_at`,
      [
        rows.map((row) => row.runId),
        rows.map((row) => row.name),
        rows.map((row) => row.readsAnalysed),
        rows.map((row) => row.mappedReads),
        rows.map((row) => row.meanDepth),
        rows.map((row) => row.breadth1x),
        rows.map((row) => row.breadth10x),
        rows.map((row) => row.variantsConfirmed),
        rows.map((row) => row.at),
        rows.map((row) => row.properlyPairedReads),
        rows.map((row) => row.breadth100x),
      ],
    );
  }

  upsertSampleCoverage(rows: SampleCoverageRecord[]): Promise<void> {
    return upsertSampleCoverage(this.pool, rows);
  }

  takeFiles(files: readonly RunFileRecord[]): Promise<void> {
    return this.#files.takeFiles(files);
  }

  finishFile(runId: string, path: string, ending: RunFileEnding): Promise<void> {
    return this.#files.finishFile(runId, path, ending);
  }

  addRunWarnings(rows: RunWarningRecord[]): Promise<void> {
    return this.#files.addRunWarnings(rows);
  }

  async interruptedRuns(source: ReadSourceKind): Promise<InterruptedRun[]> {
    const { rows } = await this.pool.query<{
      runId: string;
      config: Record<string, unknown>;
      nextSequence: number;
      batchesStored: number;
    }>(
      `SELECT id AS "runId", config,
         COALESCE((SELECT max(sequence) + 1 FROM analyses WHERE analyses.run_id = runs.id), 0)::int AS "nextSequence",
         (SELECT count(*) FROM analyses WHERE analyses.run_id = runs.id)::int AS "batchesStored"
       FROM runs WHERE status = 'RUNNING' AND source = $1 ORDER BY started_at`,
      [source],
    );
    return Promise.all(rows.map(async (run) => ({ ...run, confirmedCalls: await this.#confirmedCalls(run.runId) })));
  }

  /** {@link variantCallKey} of each call of a run stored as CONFIRMED. */
  async #confirmedCalls(runId: string): Promise<string[]> {
    const { rows } = await this.pool.query<VariantCallRow>(
      `SELECT run_id::text AS "runId", sample, contig, position, ref, alt FROM variants
       WHERE run_id = $1 AND status = 'CONFIRMED'`,
      [runId],
    );
    return rows.map(variantCallKey);
  }

  runFiles(runId: string): Promise<RunFileRecord[]> {
    return this.#files.runFiles(runId);
  }
}

/** The arrays drawn from a row's effects, its filters and its history, named as the columns they fill. */
interface DocumentColumns {
  genes?: string[];
  filters: string[];
  consequences?: string[];
  protein_changes: string[];
  allele_frequency_history: VariantRecord['alleleFrequencyHistory'];
}

/**
 * A row's object in its batch's one `jsonb` document of the arrays drawn from its effects, its
 * filters and its history (a row without effects still has its own `contig:REFposALT` key): one
 * text for the batch costs far less to send and to read than arrays of JSON texts and of arrays,
 * each quoted again as an array element. Its keys come in `jsonb`'s order (shorter first, then
 * bytewise): PostgreSQL reads such a document faster than one whose keys it must sort.
 */
function documentColumns(row: VariantRecord): DocumentColumns {
  const protein_changes = concernKeys(row);
  if (row.effects.length === 0) {
    return { filters: row.filters, protein_changes, allele_frequency_history: row.alleleFrequencyHistory };
  }
  return {
    genes: distinct(row.effects.map((effect) => effect.gene)),
    filters: row.filters,
    consequences: distinct(row.effects.map((effect) => effect.consequence)),
    protein_changes,
    allele_frequency_history: row.alleleFrequencyHistory,
  };
}

/**
 * The batch's effects as one `json` document, an array per row in row order; `null` when no row
 * has any. It is kept out of the `jsonb` document because PostgreSQL then only checks its text,
 * splitting it into rows in one pass, and stores each row's text as it is instead of building
 * `jsonb` from it: the effects are most of a run's end's bytes (~700 a row), and the column is
 * never queried inside (the filters use the arrays drawn from it). `JSON.stringify` writes `[]`
 * for a row without effects, the text the upsert's `kept` compares.
 */
function effectsDocument(rows: readonly VariantRecord[]): string | null {
  if (rows.every((row) => row.effects.length === 0)) return null;
  return `[${rows.map((row) => JSON.stringify(row.effects)).join(',')}]`;
}

/** The distinct defined values, in first-seen order. */
function distinct<T>(values: readonly (T | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== undefined))];
}
