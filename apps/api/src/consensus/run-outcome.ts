import type { DepthInterval } from '@helix/native';
import type { RunOutcome } from '../pipeline/run-services.js';
import { buildConsensus, type ConsensusRecord, type ConsensusReference } from './build.js';

/** How a run's consensus is written: its reference, how the headers name it, the run's minimum depth. */
export interface RunConsensusOptions {
  reference: ConsensusReference;
  referenceName: string;
  minDepth: number;
}

/**
 * The consensus of every sample of a finished run, one record per contig and sample (samples in
 * the run's order, contigs in the reference's): its calls at the run's end, masked where the
 * run's coverage at its end was below `minDepth`.
 */
export function runOutcomeConsensus(
  outcome: Pick<RunOutcome, 'sampleCalls' | 'coverage'>,
  options: RunConsensusOptions,
): ConsensusRecord[] {
  return outcome.sampleCalls.flatMap(({ sample, calls }) => {
    const lowDepth: DepthInterval[] = outcome.coverage
      .filter((coverage) => coverage.sample === sample)
      .flatMap(({ contig, lowDepth: stretches, minDepth }) => {
        if (minDepth !== options.minDepth) {
          throw new Error(`sample ${sample}'s coverage was masked below ${minDepth}, not ${options.minDepth}`);
        }
        return stretches.map(({ start, end }) => ({ contig, start, end }));
      });
    return buildConsensus({ ...options, calls, lowDepth, sample });
  });
}

/** What a consensus holds, in one line: records, bases called, masked and calls left out. */
export function consensusSummary(records: readonly ConsensusRecord[]): string {
  const bases = records.reduce((sum, { sequence }) => sum + sequence.length, 0);
  const masked = records.reduce((sum, { sequence }) => sum + countN(sequence), 0);
  const skipped = records.flatMap(({ skipped: left }) => left);
  const overlapping = skipped.filter(({ reason }) => reason === 'overlap').length;
  const percent = bases === 0 ? '0.00' : ((100 * (bases - masked)) / bases).toFixed(2);
  return (
    `${records.length} ${records.length === 1 ? 'record' : 'records'}, ${percent}% of ` +
    `${bases.toLocaleString('en-US')} bases called (${masked.toLocaleString('en-US')} N)` +
    (overlapping > 0 ? `; ${overlapping} calls overlapping others left out` : '')
  );
}

function countN(sequence: string): number {
  let count = 0;
  for (let index = sequence.indexOf('N'); index !== -1; index = sequence.indexOf('N', index + 1)) count += 1;
  return count;
}
