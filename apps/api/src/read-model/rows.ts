import type { VariantEffect } from '@helix/native';
import type {
  AlleleFrequencyPoint,
  ReadSourceKind,
  RunStatusKind,
  VariantStatusKind,
  VariantTypeKind,
} from '../pipeline/records.js';

/** A stored run, as the API serves it. */
export interface RunRow {
  id: string;
  source: ReadSourceKind;
  config: Record<string, unknown>;
  referenceName: string;
  referenceLength: number;
  /** Every reference contig with its length (empty for runs stored before contigs were kept). */
  contigs: { name: string; length: number }[];
  status: RunStatusKind;
  error: string | null;
  startedAt: Date;
  stoppedAt: Date | null;
  readsProduced: number;
  readsAnalysed: number;
  batchesAnalysed: number;
  variantsConfirmed: number;
}

/** One stored analysed batch. */
export interface AnalysisRow {
  id: string;
  runId: string;
  sequence: number;
  reads: number;
  mappedReads: number;
  mutatedReads: number;
  mutationsFound: number;
  processingTimeMs: number;
  createdAt: Date;
}

/**
 * A variant call: a stored row, or one announced live by the pipeline before it is stored (then
 * the first/last seen times are its detection time and it has no interpretation yet).
 */
export interface VariantRow {
  runId: string;
  /** The sample called (its VCF column). */
  sample: string;
  contig: string;
  position: number;
  ref: string;
  alt: string;
  type: VariantTypeKind;
  genotype: string | null;
  depth: number;
  altCount: number;
  alleleFrequency: number;
  quality: number;
  forwardAltCount: number;
  reverseAltCount: number;
  forwardRefCount: number;
  reverseRefCount: number;
  /** Phred-scaled Fisher strand-bias p-value; null when one strand has no reads. */
  strandBias: number | null;
  /** VCF `FILTER` values the call fails; empty when it passes. */
  filters: string[];
  /** Allele frequency as the run went on, oldest first. */
  alleleFrequencyHistory: StoredFrequencyPoint[];
  /** Reads of the sample analysed at the call's first confirmation; null while a candidate (or stored before it was kept). */
  readsUntilDetection: number | null;
  status: VariantStatusKind;
  firstSeenAt: Date;
  lastSeenAt: Date;
  confirmedAt: Date | null;
  interpretation: unknown;
  interpretationSource: string | null;
  interpretedAt: Date | null;
  /** What the call does to genes (empty without annotation). */
  effects: VariantEffect[];
  /**
   * When the file holding the read that tipped the call arrived, as its first confirmation said
   * (DIRECTORY runs; null otherwise).
   */
  fileArrivedAt: Date | null;
}

/** A point of a call's frequency history: as the pipeline made it, or read back from JSON (`at` as ISO text). */
export type StoredFrequencyPoint = Omit<AlleleFrequencyPoint, 'at'> & { at: Date | string };

/** A stored variant row with its database id (the keyset tie-breaker). */
export interface StoredVariantRow extends VariantRow {
  rowId: string;
}

/** One per-second sample (or, downsampled, the aggregate of several). */
export interface MetricSampleRow {
  at: Date;
  ingestionRate: number;
  processingRate: number;
  queueDepth: number;
  inFlight: number;
  throttled: boolean;
  sinkLag: number;
  readsProduced: number;
  readsAnalysed: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

/** True once a run can no longer change (its rows are final). */
export function isFinished(run: Pick<RunRow, 'status'>): boolean {
  return run.status === 'COMPLETED' || run.status === 'STOPPED' || run.status === 'FAILED';
}

// int8 columns are read as float8: JavaScript numbers hold them exactly up to 2^53.
export const RUN_COLUMNS = `id, source, config, reference_name AS "referenceName",
  reference_length::float8 AS "referenceLength", contigs, status, error, started_at AS "startedAt",
  stopped_at AS "stoppedAt", reads_produced::float8 AS "readsProduced",
  reads_analysed::float8 AS "readsAnalysed", batches_analysed AS "batchesAnalysed",
  variants_confirmed AS "variantsConfirmed"`;

export const ANALYSIS_COLUMNS = `id::text AS id, run_id AS "runId", sequence, reads,
  mapped_reads AS "mappedReads", mutated_reads AS "mutatedReads", mutations_found AS "mutationsFound",
  processing_time_ms AS "processingTimeMs", created_at AS "createdAt"`;

/** The columns every variant row carries: its identity (and keyset tie-breaker). */
const VARIANT_KEY_COLUMNS = 'id::text AS "rowId", run_id AS "runId", sample, contig, position, ref, alt';

/** The other columns, by the `VariantRow` field that needs them. */
export const VARIANT_FIELD_COLUMNS: Record<string, string> = {
  type: 'type',
  genotype: 'genotype',
  depth: 'depth',
  altCount: 'alt_count AS "altCount"',
  alleleFrequency: 'allele_frequency AS "alleleFrequency"',
  quality: 'quality',
  status: 'status',
  firstSeenAt: 'first_seen_at AS "firstSeenAt"',
  lastSeenAt: 'last_seen_at AS "lastSeenAt"',
  confirmedAt: 'confirmed_at AS "confirmedAt"',
  interpretation: 'interpretation, interpretation_source AS "interpretationSource", interpreted_at AS "interpretedAt"',
  effects: 'effects',
  fileArrivedAt: 'file_arrived_at AS "fileArrivedAt"',
  forwardAltCount: 'forward_alt_count AS "forwardAltCount"',
  reverseAltCount: 'reverse_alt_count AS "reverseAltCount"',
  forwardRefCount: 'forward_ref_count AS "forwardRefCount"',
  reverseRefCount: 'reverse_ref_count AS "reverseRefCount"',
  strandBias: 'strand_bias AS "strandBias"',
  filters: 'filters',
  alleleFrequencyHistory: 'allele_frequency_history AS "alleleFrequencyHistory"',
  readsUntilDetection: 'reads_until_detection::float8 AS "readsUntilDetection"',
  /** The matched mutation of concern is found by the call's effects. */
  mutationOfConcern: 'effects',
};

/**
 * The columns to read for the given `VariantRow` fields (all of them when `fields` is undefined):
 * a page that shows five fields does not pay for parsing eighteen.
 */
export function variantColumns(fields: Iterable<string> | undefined): string {
  if (!fields) return VARIANT_COLUMNS;
  const wanted = new Set<string>();
  for (const field of fields) {
    const columns = VARIANT_FIELD_COLUMNS[field];
    if (columns) wanted.add(columns);
  }
  return [VARIANT_KEY_COLUMNS, ...wanted].join(', ');
}

export const VARIANT_COLUMNS = `id::text AS "rowId", run_id AS "runId", sample, contig, position, ref, alt, type,
  genotype, depth, alt_count AS "altCount", allele_frequency AS "alleleFrequency", quality, status,
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", confirmed_at AS "confirmedAt",
  interpretation, interpretation_source AS "interpretationSource", interpreted_at AS "interpretedAt", effects,
  file_arrived_at AS "fileArrivedAt", forward_alt_count AS "forwardAltCount", reverse_alt_count AS "reverseAltCount",
  forward_ref_count AS "forwardRefCount", reverse_ref_count AS "reverseRefCount", strand_bias AS "strandBias", filters,
  allele_frequency_history AS "alleleFrequencyHistory", reads_until_detection::float8 AS "readsUntilDetection"`;
