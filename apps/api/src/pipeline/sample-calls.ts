import type { AlignerIndex, CoverageBins, DepthInterval, DepthSummary, VariantCall } from '@helix/native';
import { Pileup, VariantCaller } from '@helix/native';
import type { RunConfig } from './config.js';
import type { SampleRecord } from './records.js';

/** What a detector found in one batch that a sample's figures count. */
export interface SampleEvidence {
  reads: number;
  mappedReads: number;
  properlyPairedReads?: number;
  evidence: Uint8Array;
}

/** How far a sample had got when a call was made: what its alarms carry. */
export interface SampleProgress {
  readsAnalysed: number;
  /** The latest arrival among the files whose reads the sample has analysed (none outside DIRECTORY runs). */
  fileArrivedAt: Date | undefined;
}

/**
 * One sample of a run: its own pileup and caller, and the reads it was given. Batches of other
 * samples never touch it, so each sample's calls are its own.
 */
export class SampleCalls {
  readonly #pileup: Pileup;
  readonly #caller: VariantCaller;
  #depth: DepthSummary;
  #fileArrivedAt: Date | undefined;
  readsAnalysed = 0;
  mappedReads = 0;
  properlyPairedReads = 0;

  constructor(
    /** The sample's name, as its VCF column. */
    readonly name: string,
    index: AlignerIndex,
    referenceLength: number,
    config: Pick<RunConfig, 'mode' | 'minDepth' | 'minAlleleFrequency' | 'minQuality' | 'ploidy'>,
    /** Reads counted before a restart (a resumed run's DONE files of this sample). */
    readsCarried = 0,
  ) {
    this.readsAnalysed = readsCarried;
    this.#pileup = new Pileup(index);
    this.#caller = new VariantCaller({
      mode: config.mode === 'POPULATION' ? 'population' : 'germline',
      minDepth: config.minDepth,
      minAlleleFrequency: config.minAlleleFrequency,
      minQuality: config.minQuality,
      ...(config.ploidy !== undefined && { ploidy: config.ploidy }),
    });
    this.#depth = { positions: referenceLength, meanDepth: 0, breadth1x: 0, breadth10x: 0, breadth100x: 0 };
  }

  /** Depth and breadth as last summed up ({@link refreshDepth}). */
  get depth(): DepthSummary {
    return this.#depth;
  }

  /** Where the sample stands now, for the alarms of calls made from it. */
  get progress(): SampleProgress {
    return { readsAnalysed: this.readsAnalysed, fileArrivedAt: this.#fileArrivedAt };
  }

  /** Adds a batch's evidence; `fileArrivedAt` is the arrival of the file it was read from (DIRECTORY runs). */
  add(result: SampleEvidence, fileArrivedAt?: Date): void {
    this.#pileup.add(result.evidence);
    this.#arrived(fileArrivedAt);
    this.readsAnalysed += result.reads;
    this.mappedReads += result.mappedReads;
    this.properlyPairedReads += result.properlyPairedReads ?? 0;
  }

  /**
   * Adds the evidence of a batch read again after a restart (its reads were counted before it);
   * `fileArrivedAt` is its file's arrival, which a call it tips carries as in a run without the restart.
   */
  replayed(result: SampleEvidence, fileArrivedAt: Date): void {
    this.#pileup.add(result.evidence);
    this.#arrived(fileArrivedAt);
    this.mappedReads += result.mappedReads;
    this.properlyPairedReads += result.properlyPairedReads ?? 0;
  }

  #arrived(fileArrivedAt: Date | undefined): void {
    // Batches finish out of order across workers: the latest arrival so far, not the last one added.
    if (fileArrivedAt && !(this.#fileArrivedAt && this.#fileArrivedAt >= fileArrivedAt)) {
      this.#fileArrivedAt = fileArrivedAt;
    }
  }

  /** Sums up depth and breadth afresh (one pass over the reference). */
  refreshDepth(): DepthSummary {
    this.#depth = this.#pileup.depthSummary();
    return this.#depth;
  }

  /** The sample's figures as a record of run `runId`, its depth and breadth summed up afresh. */
  refreshedRecord(runId: string, variantsConfirmed: number, at: Date): SampleRecord {
    const depth = this.refreshDepth();
    return {
      runId,
      name: this.name,
      readsAnalysed: this.readsAnalysed,
      mappedReads: this.mappedReads,
      properlyPairedReads: this.properlyPairedReads,
      meanDepth: depth.meanDepth,
      breadth1x: depth.breadth1x,
      breadth10x: depth.breadth10x,
      breadth100x: depth.breadth100x,
      variantsConfirmed,
      at,
    };
  }

  /** Depth over 1-based `from..=to` of `contig` in `bins` bins (throws for a contig or stretch the reference lacks). */
  coverageBins(contig: string, from: number, to: number, bins: number): CoverageBins {
    return this.#pileup.coverageBins(contig, from, to, bins);
  }

  /** Maximal stretches of every contig with depth below `minDepth`, in reference order. */
  lowDepthIntervals(minDepth: number): DepthInterval[] {
    return this.#pileup.lowDepthIntervals(minDepth);
  }

  /**
   * Calls that are new, changed status or moved since the last update, computed off the main thread
   * from the parts of the pileup changed since then; await one before asking for the next.
   */
  update(): Promise<VariantCall[]> {
    return this.#caller.update(this.#pileup);
  }

  /** Every call as it stands, computed off the main thread. */
  callAll(): Promise<VariantCall[]> {
    return this.#caller.callAll(this.#pileup);
  }
}

/** A run's depth figures over its samples: the mean of each sample's (zero before any sample). */
export function meanDepthOf(
  depths: readonly DepthSummary[],
): Pick<DepthSummary, 'meanDepth' | 'breadth1x' | 'breadth10x'> {
  const mean = (value: (depth: DepthSummary) => number) =>
    depths.length === 0 ? 0 : depths.reduce((sum, depth) => sum + value(depth), 0) / depths.length;
  return {
    meanDepth: mean((depth) => depth.meanDepth),
    breadth1x: mean((depth) => depth.breadth1x),
    breadth10x: mean((depth) => depth.breadth10x),
  };
}
