import { buildConsensus, type ConsensusCall, formatConsensusFasta } from '../consensus/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { RunGenome } from './run-genome.js';

/** Why a sample's consensus cannot be had: the reference cannot be read again. */
export class ConsensusUnavailableError extends Error {
  override name = 'ConsensusUnavailableError';
}

/** The sample's confirmed calls as stored, over every contig of the run. */
async function storedCalls(reads: ReadModel, genome: RunGenome, sample: string): Promise<ConsensusCall[]> {
  const calls: ConsensusCall[] = [];
  for (const { name } of genome.contigs) {
    for await (const chunk of reads.confirmedVariants(genome.run.id, name)) {
      for (const row of chunk) if (row.sample === sample) calls.push(row);
    }
  }
  return calls;
}

/**
 * A sample's consensus of a run as FASTA, one record per contig: `N` where its depth is below the
 * run's minimum depth (the live pileup's while the run goes on, the stored stretches after), the
 * confirmed calls' alleles (as stored) where their allele frequency is above 0.5, the reference
 * elsewhere. Throws {@link ConsensusUnavailableError} when the reference cannot be read again.
 */
export async function runConsensusFasta(genome: RunGenome, reads: ReadModel, sample: string): Promise<string> {
  const reference: { name: string; sequence: string }[] = [];
  for (const contig of genome.contigs) {
    const sequence = await genome.contigSequence(contig);
    if (sequence === undefined) {
      throw new ConsensusUnavailableError(`The reference of run ${genome.run.id} cannot be read again.`);
    }
    reference.push({ name: contig.name, sequence });
  }
  const records = buildConsensus({
    reference,
    calls: await storedCalls(reads, genome, sample),
    lowDepth: await genome.lowDepthIntervals(sample),
    minDepth: genome.minDepth,
    sample,
    referenceName: genome.run.referenceName,
  });
  return formatConsensusFasta(records);
}
