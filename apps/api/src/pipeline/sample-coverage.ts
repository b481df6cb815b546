import type { Annotation, ContigInfo, CoverageBins, DepthInterval, Reference } from '@helix/native';
import type { SampleCoverageRecord } from './records.js';

/** Bins a contig's stored coverage is kept in, at most: finer views come from the live pileup only. */
export const STORED_BINS_PER_CONTIG = 20_000;

/** Bases per stored bin of a contig of `length` bases: max(1, ceil(length / 20000)). */
export function storedBinSize(length: number): number {
  return Math.max(1, Math.ceil(length / STORED_BINS_PER_CONTIG));
}

/** What coverage a sample's pileup gives (a {@link SampleCalls}). */
export interface SampleCoverageSource {
  readonly name: string;
  coverageBins(contig: string, from: number, to: number, bins: number): CoverageBins;
  lowDepthIntervals(minDepth: number): DepthInterval[];
}

/**
 * The sample's coverage as stored: each contig at {@link storedBinSize}, with the stretches below
 * `minDepth` (the run's minimum depth, where its consensus is masked).
 */
export function sampleCoverageRecords(
  runId: string,
  sample: SampleCoverageSource,
  contigs: readonly ContigInfo[],
  minDepth: number,
  at: Date,
): SampleCoverageRecord[] {
  const low = new Map<string, { start: number; end: number }[]>();
  for (const { contig, start, end } of sample.lowDepthIntervals(minDepth)) {
    const stretches = low.get(contig) ?? [];
    stretches.push({ start, end });
    low.set(contig, stretches);
  }
  return contigs.map(({ name, length }) => {
    const bins = sample.coverageBins(name, 1, length, Math.min(length, STORED_BINS_PER_CONTIG));
    return {
      runId,
      sample: sample.name,
      contig: name,
      binSize: bins.binSize,
      depths: bins.depths,
      maxDepths: bins.maxDepths,
      lowDepth: low.get(name) ?? [],
      minDepth,
      at,
    };
  });
}

/** The genome of the run going on, as its pipeline holds it: reference, genes and each sample's pileup. */
export interface LiveGenome {
  readonly runId: string;
  readonly reference: Reference;
  /** The genes its calls are annotated with, if any. */
  readonly annotation: Annotation | undefined;
  /** The run's minimum depth (below it, its consensus is `N`). */
  readonly minDepth: number;
  /** The pileup of the sample called `name`, or undefined when the run has not met it yet. */
  sample(name: string): SampleCoverageSource | undefined;
}
