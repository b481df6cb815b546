import type { AlignerIndex, ContigInfo, DepthSummary } from '@helix/native';
import type { RunConfig } from './config.js';
import type { SampleCoverageRecord, SampleRecord } from './records.js';
import type { SampleCallSet } from './run-services.js';
import { meanDepthOf, SampleCalls } from './sample-calls.js';
import { sampleCoverageRecords } from './sample-coverage.js';

/** What a run's samples are made from: its index and thresholds, and the names its read source met. */
export interface RunSamplesOptions {
  index: AlignerIndex;
  referenceLength: number;
  config: Pick<RunConfig, 'mode' | 'minDepth' | 'minAlleleFrequency' | 'minQuality' | 'ploidy'>;
  /** The read source's name of the sample at `index` (its list grows as it meets new samples). */
  nameOf: (index: number) => string | undefined;
}

/**
 * The samples of one run, each with its own pileup and caller ({@link SampleCalls}), in the order
 * its read source met them; a sample is made when its first batch (or replayed file) arrives.
 */
export class RunSamples {
  readonly #options: RunSamplesOptions;
  readonly #samples: SampleCalls[] = [];
  /** Reads each sample had counted before a restart (a resumed run). */
  #carried: Readonly<Record<string, number>> = {};

  constructor(options: RunSamplesOptions) {
    this.#options = options;
  }

  /** Reads each sample counted before a restart; set before the first sample is made. */
  carryOver(readsBySample: Readonly<Record<string, number>>): void {
    this.#carried = readsBySample;
  }

  /** The sample at the read source's index `index`, met for the first time or not. */
  at(index: number): SampleCalls {
    const { index: alignerIndex, referenceLength, config, nameOf } = this.#options;
    for (let next = this.#samples.length; next <= index; next += 1) {
      const name = nameOf(next);
      if (name === undefined) throw new Error(`a batch named sample ${index}, which its read source never met`);
      this.#samples.push(new SampleCalls(name, alignerIndex, referenceLength, config, this.#carried[name]));
    }
    return this.#samples[index] as SampleCalls;
  }

  /** The sample called `name`, or undefined when the run has not met it yet. */
  named(name: string): SampleCalls | undefined {
    return this.#samples.find((sample) => sample.name === name);
  }

  /** The samples met so far, in first-seen order. */
  get all(): readonly SampleCalls[] {
    return this.#samples;
  }

  /** The run's depth figures: the mean over its samples of each one's last summed-up depth. */
  depth(): Pick<DepthSummary, 'meanDepth' | 'breadth1x' | 'breadth10x'> {
    return meanDepthOf(this.#samples.map((sample) => sample.depth));
  }

  /**
   * Sums up each sample's depth and breadth afresh (one pass over the reference each) and returns
   * the figures of every sample met so far, with `confirmedOf` its confirmed calls.
   */
  records(runId: string, confirmedOf: (sample: string) => number): SampleRecord[] {
    const at = new Date();
    return this.#samples.map((sample) => sample.refreshedRecord(runId, confirmedOf(sample.name), at));
  }

  /** Each sample's coverage at its stored bins, with its stretches below `minDepth`. */
  coverage(runId: string, contigs: readonly ContigInfo[], minDepth: number): SampleCoverageRecord[] {
    const at = new Date();
    return this.#samples.flatMap((sample) => sampleCoverageRecords(runId, sample, contigs, minDepth, at));
  }

  /** Every call of every sample as it stands, in first-seen order (one sample at a time, off the main thread). */
  async allCalls(): Promise<SampleCallSet[]> {
    const sets: SampleCallSet[] = [];
    for (const sample of this.#samples) sets.push({ sample: sample.name, calls: await sample.callAll() });
    return sets;
  }
}
