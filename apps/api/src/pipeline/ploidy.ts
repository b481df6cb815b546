import { genbankSequences, isGenbank } from '../annotate/genbank-reference.js';
import type { Ploidy, RunConfig } from './config.js';

/**
 * The ploidy a run's calls assume: its config's `ploidy`, else 1 (haploid) for a GenBank
 * reference whose every entry's division or lineage says bacteria, archaea or phage (as for its
 * default genetic code), else 2 (diploid, as a simulated run's sample is).
 */
export async function runPloidy(config: Pick<RunConfig, 'ploidy' | 'referencePath'>): Promise<Ploidy> {
  if (config.ploidy !== undefined) return config.ploidy;
  if (!config.referencePath || !(await isGenbank(config.referencePath))) return 2;
  const sequences = await genbankSequences(config.referencePath);
  return sequences.length > 0 && sequences.every((sequence) => sequence.microbial) ? 1 : 2;
}
