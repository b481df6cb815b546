import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CORES } from '../real/config.js';
import { type Contig, writeFasta } from '../real/fasta.js';
import { quote, timedShell } from '../real/run.js';
import { type Haplotype, type HaplotypePlan, type PlantedVariant, planHaplotypes } from './haplotypes.js';
import { interleavePairs } from './interleave.js';
import { writeTruthVcf } from './truth-vcf.js';

/** What a mixture is made of: a reference, minor haplotypes planted on it, and wgsim's reads of each. */
export interface MixtureOptions extends HaplotypePlan {
  reference: Contig;
  /** Mean depth over the reference, all haplotypes together. */
  depth: number;
  /** wgsim's per-base sequencing error rate (`-e`). */
  errorRate: number;
  readLength: number;
  directory: string;
}

/** A built mixture: the files a caller is given, and the truth they were made from. */
export interface Mixture {
  reference: Contig;
  referencePath: string;
  reads: [string, string];
  truthVcfPath: string;
  truth: PlantedVariant[];
  haplotypes: (Omit<Haplotype, 'sequence'> & { fastaPath: string; pairs: number })[];
  pairs: number;
}

/**
 * Builds a mixture in `directory`: `reference.fa` (faidx-indexed), one FASTA per haplotype, wgsim
 * (Debian samtools) 150-bp-style pairs from each with `-r 0 -R 0` so wgsim plants nothing of its
 * own, each haplotype's share of the pairs being its fraction of the total, interleaved in a seeded
 * order into `reads_1.fq`/`reads_2.fq`, and `truth.vcf` with every planted variant's expected AF.
 */
export async function buildMixture(options: MixtureOptions): Promise<Mixture> {
  const { reference, directory } = options;
  const file = (name: string) => join(directory, name);
  const referencePath = file('reference.fa');
  await writeFasta(referencePath, [reference]);
  await timedShell(`samtools faidx ${quote(referencePath)}`);
  const haplotypes = planHaplotypes(reference, options);
  const pairs = Math.round((options.depth * reference.sequence.length) / (2 * options.readLength));
  const shares = haplotypes.map((haplotype) => Math.round(pairs * haplotype.fraction));
  // The major haplotype takes what rounding left, so the shares add up to `pairs`.
  shares[0] = pairs - shares.slice(1).reduce((sum, share) => sum + share, 0);
  const built = haplotypes.map(({ sequence: _sequence, ...haplotype }, index) => ({
    ...haplotype,
    fastaPath: file(`${haplotype.name}.fa`),
    pairs: shares[index] as number,
    first: file(`${haplotype.name}_1.fq`),
    second: file(`${haplotype.name}_2.fq`),
  }));
  await inBatches(built, CORES, async (haplotype, index) => {
    const sequence = haplotypes[index]?.sequence as string;
    await writeFasta(haplotype.fastaPath, [{ ...reference, sequence }]);
    await timedShell(
      `wgsim -S ${options.seed + index} -N ${haplotype.pairs} -1 ${options.readLength} -2 ${options.readLength} ` +
        `-e ${options.errorRate} -r 0 -R 0 ${[haplotype.fastaPath, haplotype.first, haplotype.second].map(quote).join(' ')} ` +
        '>/dev/null',
    );
  });
  const reads: [string, string] = [file('reads_1.fq'), file('reads_2.fq')];
  await interleavePairs(
    built.map((haplotype) => ({ prefix: haplotype.name, ...haplotype })),
    reads,
    options.seed,
  );
  for (const haplotype of built) await Promise.all([rm(haplotype.first), rm(haplotype.second)]);
  const truth = haplotypes.flatMap((haplotype) => haplotype.variants);
  const truthVcfPath = file('truth.vcf');
  await writeTruthVcf(truthVcfPath, reference, truth);
  return {
    reference,
    referencePath,
    reads,
    truthVcfPath,
    truth,
    haplotypes: built.map(({ first: _first, second: _second, ...haplotype }) => haplotype),
    pairs,
  };
}

/** Runs `task` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, task: (item: T, index: number) => Promise<void>) {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map((item, offset) => task(item, start + offset)));
  }
}
