/** The pipeline's results as plain records; the database layer maps them to tables. */

import type { VariantEffect } from '@helix/native';
import type { RunFileFaultCode, RunWarningCode } from './run-file-faults.js';

/** Where a run's reads come from. */
export type ReadSourceKind = 'SIMULATED' | 'FASTQ' | 'DIRECTORY';

export type RunStatusKind = 'RUNNING' | 'STOPPING' | 'COMPLETED' | 'STOPPED' | 'FAILED';

export type VariantTypeKind = 'SNV' | 'INSERTION' | 'DELETION';

export type VariantStatusKind = 'CANDIDATE' | 'CONFIRMED';

/** How a run calls: genotypes of one individual, or allele frequencies of a mixed population. */
export type CallingModeKind = 'GERMLINE' | 'POPULATION';

/** A call's allele frequency and depth at one moment of its run. */
export interface AlleleFrequencyPoint {
  /** Reads of the sample analysed when it was taken. */
  readsAnalysed: number;
  alleleFrequency: number;
  depth: number;
  at: Date;
}

/** A run as the pipeline starts it. */
export interface NewRun {
  source: ReadSourceKind;
  config: Record<string, unknown>;
  referenceName: string;
  referenceLength: number;
  /** Name and length of every reference contig, in file order. */
  contigs: { name: string; length: number }[];
}

/** Totals of a run, written as it progresses and when it ends. */
export interface RunTotals {
  readsProduced: number;
  readsAnalysed: number;
  batchesAnalysed: number;
  variantsConfirmed: number;
}

/** One analysed batch. `(runId, sequence)` identifies it: writing it twice stores it once. */
export interface AnalysisRecord {
  runId: string;
  sequence: number;
  reads: number;
  mappedReads: number;
  mutatedReads: number;
  mutationsFound: number;
  processingTimeMs: number;
  createdAt: Date;
}

/** The current call at one site of one sample; upserted by `(runId, sample, contig, position, ref, alt)`. */
export interface VariantRecord {
  runId: string;
  /** The sample called (its VCF column). */
  sample: string;
  contig: string;
  /** 1-based, VCF convention (indels include the anchor base). */
  position: number;
  ref: string;
  alt: string;
  type: VariantTypeKind;
  /** `GT`; null for a population call (no genotype). */
  genotype: string | null;
  depth: number;
  altCount: number;
  alleleFrequency: number;
  quality: number;
  /** Forward-strand reads showing the alternate allele (VCF `ADF`). */
  forwardAltCount: number;
  /** Reverse-strand reads showing the alternate allele (VCF `ADR`). */
  reverseAltCount: number;
  /** Forward-strand reads showing the reference. */
  forwardRefCount: number;
  /** Reverse-strand reads showing the reference. */
  reverseRefCount: number;
  /** Phred-scaled Fisher strand-bias p-value (VCF `INFO/SB`); null when one strand has no reads. */
  strandBias: number | null;
  /** VCF `FILTER` values the call fails; empty when it passes. */
  filters: string[];
  status: VariantStatusKind;
  seenAt: Date;
  /** The call's allele frequency as its run went on, oldest first; its last point is the call as it stands. */
  alleleFrequencyHistory: AlleleFrequencyPoint[];
  /**
   * Reads of the sample analysed when the call was first confirmed: stored with its first
   * confirmation and kept from then on.
   */
  readsUntilDetection?: number;
  /** What the call does to genes; empty when the run has no annotation or the call is not confirmed. */
  effects: VariantEffect[];
  /**
   * When the file holding the read that tipped the call arrived (DIRECTORY runs): stored with the
   * call's first confirmation and kept from then on.
   */
  fileArrivedAt?: Date;
}

/** What identifies a variant's site: its run, contig, position and alleles (over every sample). */
export type VariantSite = Pick<VariantRecord, 'runId' | 'contig' | 'position' | 'ref' | 'alt'>;

/** The key of a variant's site (tab-separated: contig names may hold colons). */
export function variantSiteKey(site: VariantSite): string {
  return `${site.runId}\t${site.contig}\t${site.position}\t${site.ref}\t${site.alt}`;
}

/** The key of one sample's call at a site: what the store upserts by. */
export function variantCallKey(call: VariantSite & Pick<VariantRecord, 'sample'>): string {
  return `${variantSiteKey(call)}\t${call.sample}`;
}

/** One per-second sample of the live metrics. */
export interface MetricSampleRecord {
  runId: string;
  at: Date;
  ingestionRate: number;
  processingRate: number;
  queueDepth: number;
  inFlight: number;
  throttled: boolean;
  sinkLag: number;
  readsProduced: number;
  readsAnalysed: number;
  latencyP50Ms: number | undefined;
  latencyP99Ms: number | undefined;
}

/** One sample's figures in a run; upserted by `(runId, name)`, the latest `at` winning. */
export interface SampleRecord {
  runId: string;
  /** The sample's name, as its VCF column. */
  name: string;
  readsAnalysed: number;
  mappedReads: number;
  /** Reads placed in proper pairs (none for single-end reads). */
  properlyPairedReads: number;
  /** Mean depth over the whole reference. */
  meanDepth: number;
  /** Fraction of reference positions (0–1) covered by at least one read. */
  breadth1x: number;
  /** Fraction of reference positions (0–1) covered by at least ten reads. */
  breadth10x: number;
  /** Fraction of reference positions (0–1) covered by at least a hundred reads. */
  breadth100x: number;
  variantsConfirmed: number;
  /** When the figures were taken. */
  at: Date;
}

/** A 1-based inclusive stretch of one contig. */
export interface ContigInterval {
  start: number;
  end: number;
}

/** One sample's depth along one contig in fixed bins; upserted by `(runId, sample, contig)`, the latest `at` winning. */
export interface SampleCoverageRecord {
  runId: string;
  sample: string;
  contig: string;
  /** Bases per bin (the last bin may hold fewer). */
  binSize: number;
  /** Mean depth of each bin. */
  depths: number[];
  /** Largest depth of each bin. */
  maxDepths: number[];
  /** Maximal stretches of the contig with depth below `minDepth`, in order. */
  lowDepth: ContigInterval[];
  minDepth: number;
  at: Date;
}

/** Where a file of a DIRECTORY run stands in its file ledger. */
export type RunFileStateKind = 'TAKEN' | 'DONE' | 'FAILED' | 'SKIPPED';

/** Why a file ended FAILED or SKIPPED: the fault's name and what its warning said. */
export interface RunFileReason {
  code: RunFileFaultCode;
  message: string;
}

/** A file (or mate pair) a DIRECTORY run took from its folder, as its file ledger keeps it. */
export interface RunFileRecord {
  runId: string;
  /** The path the watcher handed out (R1's for a mate pair). */
  path: string;
  /** Every path: one, or the R1 and R2 mates. */
  paths: readonly string[];
  /** Where it lies in the run folder (relative). */
  file: string;
  size: number;
  /** Modification time when taken, in milliseconds since the epoch. */
  mtime: number;
  /** SHA-256 of each path's first and last 64 KiB when taken, in the order of `paths`. */
  fingerprints: readonly string[];
  sample: string;
  /** Reads counted into the run: 0 until the file ends DONE or FAILED. */
  reads: number;
  state: RunFileStateKind;
  /** Why it ended FAILED or SKIPPED. */
  reason: RunFileReason | undefined;
}

/** How a taken file ends: read to its end, read up to a fault, or left out unread. */
export type RunFileEnding =
  | { state: 'DONE'; reads: number; analyses: readonly AnalysisRecord[] }
  | { state: 'FAILED'; reads: number; reason: RunFileReason; analyses: readonly AnalysisRecord[] }
  | { state: 'SKIPPED'; reason: RunFileReason };

/** A named warning of a run (a fault of one of its files, or of its folder), as stored for clients. */
export interface RunWarningRecord {
  runId: string;
  code: RunWarningCode;
  message: string;
  /** The file or folder concerned, relative to the run folder; undefined for the run as a whole. */
  file: string | undefined;
  at: Date;
}

/** A run left RUNNING by a process that stopped or was killed, as a restart finds it. */
export interface InterruptedRun {
  runId: string;
  /** The run's configuration as stored when it started. */
  config: Record<string, unknown>;
  /** One past the highest batch sequence stored for it. */
  nextSequence: number;
  /** Batches whose analysis rows are stored (for a DIRECTORY run, those of the files it ended). */
  batchesStored: number;
  /** {@link variantCallKey} of each call stored as CONFIRMED: announced before the restart. */
  confirmedCalls: string[];
}

/**
 * Where the pipeline keeps its results. Implementations must be idempotent: the sink retries a
 * write whose outcome it does not know.
 */
export interface ResultStore {
  createRun(run: NewRun): Promise<string>;
  updateRun(runId: string, totals: RunTotals): Promise<void>;
  finishRun(runId: string, status: RunStatusKind, totals: RunTotals, error?: string): Promise<void>;
  writeAnalyses(rows: AnalysisRecord[]): Promise<void>;
  upsertVariants(rows: VariantRecord[]): Promise<void>;
  /**
   * Removes the CANDIDATE calls stored for `sample` of the run whose {@link variantCallKey} is not
   * among `finalCalls` (the sample's calls as they stand at the run's end); CONFIRMED calls stay.
   */
  removeCandidatesBesides(runId: string, sample: string, finalCalls: ReadonlySet<string>): Promise<void>;
  writeMetricSamples(rows: MetricSampleRecord[]): Promise<void>;
  upsertSamples(rows: SampleRecord[]): Promise<void>;
  /** Keeps each sample's binned coverage and low-depth stretches (stores that keep none leave it out). */
  upsertSampleCoverage?(rows: SampleCoverageRecord[]): Promise<void>;
  /**
   * Enters files in the run's file ledger in one write, each TAKEN (or SKIPPED with its reason,
   * never to be read). Taking a TAKEN file again (read again after a restart) updates its size,
   * time and fingerprints; a file that has ended stays as it is.
   */
  takeFiles(files: readonly RunFileRecord[]): Promise<void>;
  /**
   * Ends a TAKEN file DONE, FAILED or SKIPPED, adds its reads to the run's totals and stores its
   * batches' analysis rows, in one transaction; a file no longer TAKEN is left as it is (a retried
   * write counts nothing twice).
   */
  finishFile(runId: string, path: string, ending: RunFileEnding): Promise<void>;
  /** Keeps named warnings of runs for clients (they are logged as well). */
  addRunWarnings(rows: RunWarningRecord[]): Promise<void>;
  /** The run's file ledger. */
  runFiles(runId: string): Promise<RunFileRecord[]>;
  /** Runs of `source` still RUNNING, oldest first (none while their process is alive elsewhere). */
  interruptedRuns(source: ReadSourceKind): Promise<InterruptedRun[]>;
}
